// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the TOML syntax under test
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "./errors.ts";
import { loadConfig, userConfigPath } from "./load.ts";
import { CONFIG_DEFAULTS } from "./schema.ts";

let root: string;
let home: string;
let project: string;
let env: NodeJS.ProcessEnv;

function write(path: string, text: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function userFile(text: string): string {
  return write(join(home, ".config", "owlet", "config.toml"), text);
}

function projectFile(text: string): string {
  return write(join(project, ".owlet", "config.toml"), text);
}

async function loadError(opts: Parameters<typeof loadConfig>[0]): Promise<ConfigError> {
  try {
    await loadConfig(opts);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "owlet-config-"));
  home = join(root, "home");
  project = join(root, "project");
  mkdirSync(join(project, ".git"), { recursive: true });
  mkdirSync(join(project, "src", "deep"), { recursive: true });
  env = { HOME: home };
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("loadConfig layering", () => {
  it("returns the defaults when no file exists", async () => {
    const loaded = await loadConfig({ cwd: project, env, isTrusted: () => true });
    expect(loaded.files).toEqual([]);
    expect(loaded.projectRoot).toBe(project);
    expect(loaded.config.permission).toEqual({ mode: "auto", rules: [] });
    expect(loaded.config.tools).toEqual({
      bash_timeout: 30,
      max_file_size: 1048576,
      max_output_bytes: 65536,
      env_allow: [],
    });
    expect(loaded.config.session.enabled).toBe(true);
    expect(loaded.config.engine.max_turns).toBe(CONFIG_DEFAULTS.engine.max_turns);
    expect(loaded.config.router).toEqual({
      force_two_stage: false,
      local_only: false,
      classifier: "heuristic",
    });
    expect(loaded.config.arms).toEqual([]);
    expect(loaded.config.provider.default).toBeUndefined();
  });

  it("layers user < project < --config < env < flags, merging tables deeply", async () => {
    const user = userFile(
      '[provider]\ndefault = "openai"\nmodel = "gpt-user"\ntemperature = 0.5\n[tools]\nbash_timeout = 10\n',
    );
    const proj = projectFile('[provider]\nmodel = "gpt-project"\n[tools]\nmax_file_size = 2048\n');
    const extra = write(join(root, "extra.toml"), '[provider]\nbase_url = "http://127.0.0.1:1234/v1"\n');
    const loaded = await loadConfig({
      cwd: join(project, "src", "deep"),
      env,
      configFile: "../../../extra.toml",
    });
    expect(loaded.projectRoot).toBe(project);
    expect(loaded.files).toEqual([user, proj, extra]);
    expect(loaded.config.provider).toMatchObject({
      default: "openai",
      model: "gpt-project",
      temperature: 0.5,
      base_url: "http://127.0.0.1:1234/v1",
    });
    expect(loaded.config.tools).toEqual({
      bash_timeout: 10,
      max_file_size: 2048,
      max_output_bytes: 65536,
      env_allow: [],
    });

    const withEnv = await loadConfig({
      cwd: project,
      env: { ...env, OWLET_PROVIDER: "ollama", OWLET_MODEL: "qwen" },
    });
    expect(withEnv.config.provider.default).toBe("ollama");
    expect(withEnv.config.provider.model).toBe("qwen");

    const withFlags = await loadConfig({
      cwd: project,
      env: { ...env, OWLET_PROVIDER: "ollama", OWLET_MODEL: "qwen" },
      flags: {
        provider: "llamacpp",
        model: "flag-model",
        baseURL: "http://127.0.0.1:8080",
        apiKey: "k",
        contextWindow: 8192,
        maxTurns: 7,
        permissionMode: "plan",
        twoStage: true,
      },
    });
    expect(withFlags.config.provider).toMatchObject({
      default: "llamacpp",
      model: "flag-model",
      base_url: "http://127.0.0.1:8080",
      api_key: "k",
      context_window: 8192,
    });
    expect(withFlags.config.engine.max_turns).toBe(7);
    expect(withFlags.config.permission.mode).toBe("plan");
    expect(withFlags.config.router.two_stage).toBe(true);
  });

  it("honours XDG_CONFIG_HOME", async () => {
    const xdg = join(root, "xdg");
    expect(userConfigPath({ XDG_CONFIG_HOME: xdg, HOME: home })).toBe(join(xdg, "owlet", "config.toml"));
    write(join(xdg, "owlet", "config.toml"), '[permission]\nmode = "bypass"\n');
    userFile('[permission]\nmode = "plan"\n');
    const loaded = await loadConfig({ cwd: project, env: { ...env, XDG_CONFIG_HOME: xdg } });
    expect(loaded.config.permission.mode).toBe("bypass");
  });

  it("merges [[arms]] by id and appends [[permission.rules]]", async () => {
    userFile(
      [
        "[[arms]]",
        'id = "local"',
        'provider = "llamacpp"',
        'model = "qwen"',
        'strengths = ["debug"]',
        "limits = { rpm = 10, tpm = 1000 }",
        "[[arms]]",
        'id = "cloud"',
        'provider = "openai"',
        'model = "gpt"',
        "[[permission.rules]]",
        'tool = "bash"',
        'pattern = "rm *"',
        'action = "deny"',
      ].join("\n"),
    );
    projectFile(
      [
        "[[arms]]",
        'id = "local"',
        "disabled = true",
        "limits = { rpm = 20 }",
        'strengths = ["explain"]',
        "[[arms]]",
        'id = "new"',
        'provider = "ollama"',
        'model = "llama"',
        "[[permission.rules]]",
        'tool = "fs_*"',
        'action = "allow"',
      ].join("\n"),
    );
    const { config } = await loadConfig({ cwd: project, env, isTrusted: () => true });
    expect(config.arms.map((arm) => arm.id)).toEqual(["local", "cloud", "new"]);
    expect(config.arms[0]).toEqual({
      id: "local",
      provider: "llamacpp",
      model: "qwen",
      strengths: ["explain"],
      disabled: true,
      limits: { rpm: 20, tpm: 1000 },
    });
    expect(config.permission.rules).toEqual([
      { tool: "bash", pattern: "rm *", action: "deny" },
      { tool: "fs_*", action: "allow" },
    ]);
  });

  it("reads a file once when --config names the project file", async () => {
    const proj = projectFile('[[permission.rules]]\ntool = "bash"\naction = "deny"\n');
    const loaded = await loadConfig({ cwd: project, env, configFile: ".owlet/config.toml" });
    expect(loaded.files).toEqual([proj]);
    expect(loaded.config.permission.rules).toHaveLength(1);
  });
});

describe("loadConfig variable expansion", () => {
  it("expands ${VAR} in every string value and keeps $${ literal", async () => {
    projectFile(
      '[provider]\napi_key = "${MY_KEY}"\nbase_url = "http://${HOST}:8080"\n' +
        '[[permission.rules]]\ntool = "bash"\npattern = "echo $${HOME}"\naction = "allow"\n',
    );
    const { config } = await loadConfig({
      cwd: project,
      env: { ...env, MY_KEY: "sk-1", HOST: "127.0.0.1" },
      isTrusted: () => true,
    });
    expect(config.provider.api_key).toBe("sk-1");
    expect(config.provider.base_url).toBe("http://127.0.0.1:8080");
    expect(config.permission.rules[0]!.pattern).toBe("echo ${HOME}");
  });

  it("names the variable, the file, the line and the key when a variable is unset", async () => {
    const file = projectFile('[provider]\nmodel = "m"\n\n[provider.openai]\napi_key = "${NOPE_KEY}"\n');
    const error = await loadError({ cwd: project, env });
    expect(error.message).toBe(
      `${file}:5: environment variable "NOPE_KEY" is not set (used in "provider.openai.api_key"); set it or remove the reference`,
    );
    expect(error).toMatchObject({ file, line: 5, key: "provider.openai.api_key" });
  });
});

describe("loadConfig errors", () => {
  it("reports an unknown key with file, line, dotted key and a suggestion", async () => {
    const file = projectFile('# comment\n[provider]\ndefault = "openai"\n\n\n\nmodle = "x"\n');
    const error = await loadError({ cwd: project, env });
    expect(error.message).toBe(`${file}:7: unknown key "provider.modle" (did you mean "model"?)`);
    expect(error).toMatchObject({ file, line: 7, key: "provider.modle" });
  });

  it("reports an unknown table", async () => {
    const file = projectFile("[tools]\nbash_timeout = 5\n[sesion]\nenabled = false\n");
    const error = await loadError({ cwd: project, env });
    expect(error.message).toBe(`${file}:3: unknown key "sesion" (did you mean "session"?)`);
  });

  it("reports a wrong type with file, line and key", async () => {
    const file = projectFile('[provider]\nmodel = "m"\n[tools]\nbash_timeout = "30s"\n');
    const error = await loadError({ cwd: project, env });
    expect(error.message).toBe(`${file}:4: "tools.bash_timeout" must be a number, got string`);
    expect(error).toMatchObject({ file, line: 4, key: "tools.bash_timeout" });
  });

  it("reports the first problem by line and counts the rest", async () => {
    const file = projectFile('[tools]\nbash_timeout = "x"\n[permission]\nmode = "yolo"\n');
    const error = await loadError({ cwd: project, env });
    expect(error.message).toBe(
      `${file}:2: "tools.bash_timeout" must be a number, got string (and 1 more problem)`,
    );
  });

  it("reports bad enum values, ranges and integers inside [[arms]]", async () => {
    const file = projectFile(
      [
        "[[arms]]",
        'id = "a"',
        'provider = "openai"',
        'model = "m"',
        "[[arms]]",
        'id = "b"',
        'provider = "openai"',
        'model = "m"',
        "max_complexity = 3",
      ].join("\n"),
    );
    let error = await loadError({ cwd: project, env });
    expect(error.message).toBe(`${file}:9: "arms[1].max_complexity" must be <= 1, got 3`);

    projectFile('[permission]\nmode = "yolo"\n');
    error = await loadError({ cwd: project, env });
    expect(error.message).toContain(':2: "permission.mode" must be one of "default", "accept_edits"');
    expect(error.message).toContain('got "yolo"');

    projectFile("[provider]\ncontext_window = 1.5\n");
    error = await loadError({ cwd: project, env });
    expect(error.message).toMatch(/:2: "provider.context_window" must be an integer, got 1.5$/);

    projectFile('[[arms]]\nid = "x"\nlimits = { rpm = "fast" }\n');
    error = await loadError({ cwd: project, env });
    expect(error.message).toMatch(/:3: "arms\[0\].limits.rpm" must be a number, got string$/);

    projectFile('[[arms]]\nid = "x"\nstrengths = ["debug", "poetry"]\n');
    error = await loadError({ cwd: project, env });
    expect(error.message).toContain(':3: "arms[0].strengths[1]" must be one of');
  });

  it("gives TOML syntax errors a line", async () => {
    const file = projectFile('[provider]\nmodel = "m"\ntemperature = = 1\n');
    const error = await loadError({ cwd: project, env });
    expect(error.file).toBe(file);
    expect(error.line).toBe(3);
    expect(error.message.startsWith(`${file}:3: invalid TOML: `)).toBe(true);
  });

  it("fails when the --config file is missing", async () => {
    const error = await loadError({ cwd: project, env, configFile: "nope.toml" });
    expect(error.message).toBe(
      `config file not found: ${join(project, "nope.toml")} (given with --config); check the path`,
    );
  });

  it("fails when a config file cannot be read", async () => {
    const file = projectFile('[provider]\nmodel = "m"\n');
    chmodSync(file, 0o000);
    try {
      if (process.getuid?.() === 0) return; // root reads anything
      const error = await loadError({ cwd: project, env });
      expect(error.message).toContain(`${file}: cannot read config file`);
    } finally {
      chmodSync(file, 0o600);
    }
  });

  it("names the flag or variable for bad overrides", async () => {
    let error = await loadError({ cwd: project, env, flags: { provider: "openia" } });
    expect(error.message).toMatch(/^--provider: "provider.default" must be one of .*got "openia"$/);
    error = await loadError({ cwd: project, env, flags: { maxTurns: 0 } });
    expect(error.message).toBe('--max-turns: "engine.max_turns" must be > 0, got 0');
    error = await loadError({ cwd: project, env: { ...env, OWLET_PROVIDER: "nope" } });
    expect(error.message).toMatch(/^environment variable OWLET_PROVIDER: "provider.default" must be one of/);
  });

  it("requires provider and model of every arm once the files are merged", async () => {
    const file = projectFile('[provider]\nmodel = "m"\n\n[[arms]]\nid = "orphan"\ndisabled = true\n');
    const error = await loadError({ cwd: project, env });
    expect(error.message).toBe(
      `${file}:4: arm "orphan" has no "provider" in any config file; set it in one of its [[arms]] entries`,
    );
  });

  it("rejects duplicate arm ids within a file", async () => {
    const file = projectFile(
      '[[arms]]\nid = "a"\nprovider = "openai"\nmodel = "m"\n[[arms]]\nid = "a"\nprovider = "openai"\nmodel = "n"\n',
    );
    const error = await loadError({ cwd: project, env });
    expect(error.message).toBe(`${file}:6: duplicate arm id "a"; arm ids must be unique in a file`);
  });

  it("accepts every documented key", async () => {
    projectFile(`
[provider]
default = "embedded"
model = "m"
base_url = "http://127.0.0.1:1"
api_key = "k"
context_window = 4096
max_output_tokens = 1024
temperature = 0.2

[provider.openai-compatible]
base_url = "http://127.0.0.1:2/v1"
api_key = "k2"
model = "m2"
context_window = 32768

[provider.embedded]
model_path = "/models/q.gguf"
gpu_layers = 0
context_window = 8192

[router]
force_two_stage = true
two_stage = false
local_only = true
classifier = "slm"
seed = 42
state_path = ".owlet/router.json"

[permission]
mode = "accept_edits"

[[permission.rules]]
tool = "bash"
pattern = "npm test*"
action = "allow"

[tools]
bash_timeout = 12.5
max_file_size = 100
max_output_bytes = 200

[session]
enabled = false

[engine]
max_turns = 10

[[arms]]
id = "cloud"
provider = "anthropic"
model = "claude"
base_url = "https://example.invalid"
api_key = "k3"
context_window = 200000
max_output_tokens = 8192
tool_use = true
price_input = 3
price_output = 15
strengths = ["review", "security_review"]
cost_weight = 0.5
max_complexity = 1
disabled = false
limits = { rps = 1, rpm = 50, rpd = 1000, tpm = 40000, tokens_month = 1000000, spend_cap = 20 }
`);
    const { config } = await loadConfig({ cwd: project, env, isTrusted: () => true });
    expect(config.provider["openai-compatible"]?.context_window).toBe(32768);
    expect(config.provider.embedded).toEqual({
      model_path: "/models/q.gguf",
      gpu_layers: 0,
      context_window: 8192,
    });
    expect(config.router).toEqual({
      force_two_stage: true,
      two_stage: false,
      local_only: true,
      classifier: "slm",
      seed: 42,
      state_path: ".owlet/router.json",
    });
    expect(config.tools.bash_timeout).toBe(12.5);
    expect(config.session.enabled).toBe(false);
    expect(config.arms[0]?.limits?.spend_cap).toBe(20);
  });

  it("rejects embedded-only keys on other providers", async () => {
    const file = projectFile('[provider.openai]\nmodel_path = "/x"\n');
    const error = await loadError({ cwd: project, env });
    expect(error.message).toBe(`${file}:2: unknown key "provider.openai.model_path"`);
  });
});
