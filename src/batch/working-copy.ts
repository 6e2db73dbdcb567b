/**
 * A task's own working copy: a clone of the task's repository (a local git repository or a git URL), or a copy
 * of a plain directory made into a git repository, in a fresh directory; and the diff of what a run changed.
 */
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { cp } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Git with a fixed identity and no prompts, in `cwd`; resolves stdout. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "owlet batch",
      GIT_AUTHOR_EMAIL: "batch@owlet.invalid",
      GIT_COMMITTER_NAME: "owlet batch",
      GIT_COMMITTER_EMAIL: "batch@owlet.invalid",
    },
  });
  return stdout;
}

/** True when `repo` names a remote (URL or scp-like `host:path`) rather than a local path. */
function isRemote(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\\]+@[^:]+:/.test(repo);
}

/**
 * Makes `dest` (which must not exist) a working copy of `repo` (relative paths from `base`): `git clone` of a git
 * repository or URL (its committed HEAD: uncommitted changes of a local repository are not copied), else a copy of
 * the directory committed as the base. Throws with git's message when cloning fails or the directory is missing.
 */
export async function makeWorkingCopy(repo: string, dest: string, base: string): Promise<void> {
  if (isRemote(repo)) {
    await git(base, "clone", "--quiet", "--", repo, dest);
    return;
  }
  const src = isAbsolute(repo) ? repo : resolve(base, repo);
  if (!existsSync(src) || !statSync(src).isDirectory())
    throw new Error(`repo ${repo}: no such directory (${src})`);
  if (existsSync(resolve(src, ".git"))) {
    await git(base, "clone", "--quiet", "--", src, dest);
    return;
  }
  await cp(src, dest, { recursive: true, filter: (p) => !p.split(/[\\/]/).includes(".owlet") });
  await git(dest, "init", "--quiet");
  await git(dest, "add", "-A");
  await git(dest, "commit", "--quiet", "--allow-empty", "-m", "owlet batch: base");
}

/**
 * What the run changed in the working copy, as a git diff against the base commit (new files included, binary
 * files as git marks them; owlet's own `.owlet/` state left out).
 */
export async function workingCopyDiff(dir: string): Promise<string> {
  await git(dir, "add", "-A", "--", ".", ":(exclude).owlet");
  return git(dir, "diff", "--cached", "--no-color", "HEAD");
}
