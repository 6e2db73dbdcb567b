import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  type Stats,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** One file of a snapshot: its git blob id and mode (`100644`, `100755`, `120000` symlink). */
export interface SnapshotEntry {
  blob: string;
  mode: string;
}

/** A file that differs between two snapshots: `before` is undefined when the file is new. */
export interface TreeChange {
  path: string;
  before?: SnapshotEntry;
}

/** Longest one git command of the checkpoint store may take, ms (a snapshot of a large workspace). */
export const SHADOW_GIT_TIMEOUT_MS = 20_000;

/**
 * A shadow git repository that stores checkpoints of a workspace outside the user's git history: its own
 * `GIT_DIR` (under `.owlet/checkpoints/`), the workspace as `GIT_WORK_TREE`, and an index of its own per
 * workspace, so the user's index, branches, stash and hooks are never touched. `git add -A` honours the
 * workspace's `.gitignore` files (and the user's `.git/info/exclude`, copied in), never adds `.git/`, and
 * leaves `.owlet/` out. As Claude Code's and gemini-cli's checkpointing (a shadow repository with its own
 * GIT_DIR); blobs are content-addressed, so an unchanged file costs nothing twice.
 *
 * Every command runs with a clean environment (no `GIT_*` of the user's, no system or global config, hooks off,
 * no CRLF or filter conversion), so contents round-trip byte for byte. Throws an Error naming the git command
 * when git fails or takes longer than {@link SHADOW_GIT_TIMEOUT_MS}.
 */
export class ShadowRepo {
  readonly gitDir: string;
  readonly workTree: string;
  private readonly index: string;
  private ready = false;

  /** `gitDir`: the shadow repository (created on first use); `workTree`: the absolute workspace root. */
  constructor(gitDir: string, workTree: string) {
    this.gitDir = gitDir;
    this.workTree = workTree;
    const key = createHash("sha256").update(workTree).digest("hex").slice(0, 16);
    this.index = join(gitDir, `index-${key}`);
  }

  /** Creates the repository once: `git init --bare`, excludes, a `.gitignore` so it never shows in a status. */
  async init(): Promise<void> {
    if (this.ready) return;
    if (!existsSync(join(this.gitDir, "HEAD"))) {
      mkdirSync(this.gitDir, { recursive: true, mode: 0o700 });
      await this.git(["init", "--bare", "--quiet", this.gitDir], { bare: true });
    }
    // Shown by no status, whatever .owlet/.gitignore says.
    writeFileSync(join(this.gitDir, ".gitignore"), "*\n");
    mkdirSync(join(this.gitDir, "info"), { recursive: true });
    let exclude = "/.owlet/\n/.git/\n";
    const userExclude = join(this.workTree, ".git", "info", "exclude");
    try {
      exclude += readFileSync(userExclude, "utf8");
    } catch {
      // not a git work tree, or no exclude file
    }
    writeFileSync(join(this.gitDir, "info", "exclude"), exclude);
    // Contents byte for byte: no end-of-line conversion, filters or encodings from the workspace's .gitattributes.
    writeFileSync(
      join(this.gitDir, "info", "attributes"),
      "* -text !eol -filter -ident -working-tree-encoding\n",
    );
    this.ready = true;
  }

  /**
   * Snapshots the workspace (tracked and untracked, non-ignored files): `git add -A` into the shadow index, then
   * `git write-tree`. Returns the tree id, kept reachable (see keep).
   */
  async snapshot(): Promise<string> {
    await this.init();
    await this.git(["add", "-A", "--", "."]);
    const tree = (await this.git(["write-tree"])).trim();
    await this.keep(tree);
    return tree;
  }

  /** The files that differ between trees `a` and `b`, with their entry in `a` (no rename detection). */
  async diff(a: string, b: string): Promise<TreeChange[]> {
    if (a === b) return [];
    const out = await this.git(["diff-tree", "-r", "-z", "--no-renames", "--raw", a, b]);
    const parts = out.split("\0");
    const changes: TreeChange[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      // :<old mode> <new mode> <old blob> <new blob> <status>\0<path>\0
      const [oldMode, , oldBlob] = parts[i]!.slice(1).split(" ");
      const path = parts[i + 1]!;
      if (!oldMode || !path) continue;
      changes.push(oldMode === "000000" ? { path } : { path, before: { blob: oldBlob!, mode: oldMode } });
    }
    return changes;
  }

  /**
   * Stores one file as it is now (`rel`, workspace-relative with `/`; ignored files too) with `git hash-object -w
   * --no-filters`, and returns its entry; undefined when it does not exist (a symlink is stored as its target
   * text with mode 120000, as git does). Throws for a directory.
   */
  async storeFile(rel: string): Promise<SnapshotEntry | undefined> {
    await this.init();
    const abs = join(this.workTree, rel);
    let stat: Stats;
    try {
      stat = lstatSync(abs);
    } catch {
      return undefined;
    }
    let entry: SnapshotEntry;
    if (stat.isSymbolicLink()) {
      const blob = (await this.git(["hash-object", "-w", "--stdin"], { input: readlinkSync(abs) })).trim();
      entry = { blob, mode: "120000" };
    } else if (stat.isFile()) {
      const blob = (await this.git(["hash-object", "-w", "--no-filters", "--", rel])).trim();
      entry = { blob, mode: stat.mode & 0o111 ? "100755" : "100644" };
    } else throw new Error(`checkpoint store: ${rel} is not a file`);
    await this.keep(entry.blob);
    return entry;
  }

  /** The bytes of a stored blob. */
  async readBlob(blob: string): Promise<Buffer> {
    return this.gitBuffer(["cat-file", "blob", blob]);
  }

  /**
   * Keeps an object (blob or tree id) reachable under `refs/owlet/keep/<id>`, so it is never collected (the
   * shadow repository also runs with `gc.auto=0`).
   */
  async keep(object: string): Promise<void> {
    if (!/^[0-9a-f]{40,64}$/.test(object)) throw new Error(`checkpoint store: not an object id: ${object}`);
    await this.git(["update-ref", `refs/owlet/keep/${object}`, object]);
  }

  private async git(args: string[], opts: { bare?: boolean; input?: string } = {}): Promise<string> {
    return (await this.gitBuffer(args, opts)).toString("utf8");
  }

  private gitBuffer(args: string[], opts: { bare?: boolean; input?: string } = {}): Promise<Buffer> {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("GIT_")) env[k] = v;
    Object.assign(env, {
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_TERMINAL_PROMPT: "0",
      ...(opts.bare
        ? {}
        : { GIT_DIR: this.gitDir, GIT_WORK_TREE: this.workTree, GIT_INDEX_FILE: this.index }),
    });
    const config = [
      "-c",
      "core.autocrlf=false",
      "-c",
      "core.safecrlf=false",
      "-c",
      "core.fsmonitor=false",
      "-c",
      "core.hooksPath=/dev/null",
      "-c",
      "core.symlinks=true",
      "-c",
      "core.quotepath=off",
      "-c",
      "gc.auto=0",
      "-c",
      "advice.addEmbeddedRepo=false",
    ];
    return new Promise((resolve, reject) => {
      const child = execFile(
        "git",
        [...config, ...args],
        {
          cwd: this.workTree,
          env,
          encoding: "buffer",
          timeout: SHADOW_GIT_TIMEOUT_MS,
          maxBuffer: 256 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          if (err) {
            const why = stderr.toString("utf8").trim().split("\n")[0] || err.message;
            reject(new Error(`checkpoint store: git ${args[0]} failed: ${why}`));
          } else resolve(stdout);
        },
      );
      if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
  }
}
