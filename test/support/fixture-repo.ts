import { execFileSync } from "node:child_process";
import { cp, mkdtemp, realpath } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Copies test/fixtures/<name> into a fresh temp dir and makes it a git repository with one commit. */
export async function fixtureRepo(name: string): Promise<string> {
  const src = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const dir = await realpath(await mkdtemp(join(tmpdir(), `owlet-${name}-`)));
  await cp(src, dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      stdio: "ignore",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t",
      },
    });
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "fixture");
  return dir;
}

/** Absolute path of bin/owlet. */
export const OWLET_BIN = fileURLToPath(new URL("../../bin/owlet", import.meta.url));
