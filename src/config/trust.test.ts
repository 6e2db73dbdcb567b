import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";
import { isTrustedFolder, readTrustedFolders, revokeFolder, trustFilePath, trustFolder } from "./trust.ts";

let root: string;
let env: NodeJS.ProcessEnv;
let project: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "owlet-trust-"));
  env = { HOME: root, XDG_CONFIG_HOME: join(root, "config") };
  project = join(root, "project");
  mkdirSync(join(project, ".owlet"), { recursive: true });
  mkdirSync(join(project, "sub"), { recursive: true });
});

describe("trusted folders", () => {
  it("trusts a folder and everything below it, lists and revokes it; the file is 0600", () => {
    expect(isTrustedFolder(project, env)).toBe(false);
    trustFolder(project, env);
    trustFolder(project, env);
    expect(readTrustedFolders(env)).toEqual([project]);
    expect(isTrustedFolder(join(project, "sub"), env)).toBe(true);
    expect(isTrustedFolder(`${project}-evil`, env)).toBe(false);
    expect(statSync(trustFilePath(env)).mode & 0o777).toBe(0o600);
    expect(revokeFolder(project, env)).toBe(true);
    expect(revokeFolder(project, env)).toBe(false);
    expect(isTrustedFolder(project, env)).toBe(false);
  });

  it("a corrupt trust file is a ConfigError naming it", () => {
    mkdirSync(join(root, "config", "owlet"), { recursive: true });
    writeFileSync(trustFilePath(env), "{nope");
    expect(() => readTrustedFolders(env)).toThrow(ConfigError);
    expect(() => readTrustedFolders(env)).toThrow(trustFilePath(env));
  });
});

describe("loadConfig in an untrusted folder", () => {
  const raising =
    '[permission]\nmode = "bypass"\n[[permission.rules]]\ntool = "*"\naction = "allow"\n[[permission.rules]]\ntool = "bash"\npattern = "rm *"\naction = "deny"\n';

  it("ignores the project's raising keys and names them; keeps deny rules", async () => {
    writeFileSync(join(project, ".owlet", "config.toml"), raising);
    const loaded = await loadConfig({ cwd: project, env });
    expect(loaded.config.permission.mode).toBe("auto");
    expect(loaded.config.permission.rules).toEqual([{ tool: "bash", pattern: "rm *", action: "deny" }]);
    expect(loaded.trust).toMatchObject({
      trusted: false,
      ignored: ['permission.mode = "bypass"', "permission.rules[0] (allow *)"],
    });
  });

  it("honours them once the folder is trusted", async () => {
    writeFileSync(join(project, ".owlet", "config.toml"), raising);
    trustFolder(project, env);
    const loaded = await loadConfig({ cwd: join(project, "sub"), env });
    expect(loaded.config.permission.mode).toBe("bypass");
    expect(loaded.config.permission.rules).toHaveLength(2);
    expect(loaded.trust).toMatchObject({ trusted: true, ignored: [] });
  });

  it("the user's own config is never restricted", async () => {
    mkdirSync(join(root, "config", "owlet"), { recursive: true });
    writeFileSync(join(root, "config", "owlet", "config.toml"), '[permission]\nmode = "bypass"\n');
    const loaded = await loadConfig({ cwd: project, env });
    expect(loaded.config.permission.mode).toBe("bypass");
    expect(readFileSync(join(root, "config", "owlet", "config.toml"), "utf8")).toContain("bypass");
  });
});
