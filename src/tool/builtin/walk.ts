import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import ignore from "ignore";

/** One file found by {@link walkFiles}. */
export interface WalkEntry {
  /** Absolute path. */
  abs: string;
  /** Path relative to the walk's `root`, `/`-separated. */
  rel: string;
  /** True for a symlink (never followed). */
  isSymlink: boolean;
}

/** Options for {@link walkFiles}. */
export interface WalkOptions {
  /** Skip files whose name starts with `.` (hidden directories are always skipped). */
  skipHiddenFiles?: boolean;
  signal?: AbortSignal;
}

interface IgnoreLayer {
  base: string;
  rules: ReturnType<typeof ignore>;
}

/** Directory names never descended into. */
const SKIPPED_DIRS = new Set(["node_modules"]);

/**
 * Yields the files under `start` (an absolute directory inside `root`), in sorted name order,
 * skipping hidden directories, `node_modules`, and paths ignored by any `.gitignore` from `root`
 * down (negations in deeper files override shallower ones). Symlinks are yielded but never followed.
 * Unreadable directories are skipped silently.
 */
export async function* walkFiles(
  root: string,
  start: string,
  options: WalkOptions = {},
): AsyncGenerator<WalkEntry> {
  const layers: IgnoreLayer[] = [];
  // .gitignore files of the directories between root and start apply too.
  const ancestors: string[] = [];
  if (start !== root && start.startsWith(root + path.sep)) {
    for (let dir = path.dirname(start); ; dir = path.dirname(dir)) {
      ancestors.unshift(dir);
      if (dir === root || !dir.startsWith(root)) break;
    }
  }
  for (const dir of ancestors) {
    const layer = await loadLayer(dir);
    if (layer) layers.push(layer);
  }
  yield* walkDir(root, start, layers, options);
}

async function* walkDir(
  root: string,
  dir: string,
  parentLayers: IgnoreLayer[],
  options: WalkOptions,
): AsyncGenerator<WalkEntry> {
  if (options.signal?.aborted) return;
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const own = await loadLayer(dir);
  const layers = own ? [...parentLayers, own] : parentLayers;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    const isDir = entry.isDirectory();
    const hidden = entry.name.startsWith(".");
    if (isDir && (hidden || SKIPPED_DIRS.has(entry.name))) continue;
    if (!isDir && hidden && options.skipHiddenFiles) continue;
    if (isIgnored(layers, abs, isDir)) continue;
    if (isDir) {
      yield* walkDir(root, abs, layers, options);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      // FIFOs, sockets and devices are skipped: reading them can block or never end
      yield { abs, rel: toPosix(path.relative(root, abs)), isSymlink: entry.isSymbolicLink() };
    }
  }
}

async function loadLayer(dir: string): Promise<IgnoreLayer | undefined> {
  try {
    const text = await readFile(path.join(dir, ".gitignore"), "utf8");
    return { base: dir, rules: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function isIgnored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = toPosix(path.relative(layer.base, abs)) + (isDir ? "/" : "");
    const result = layer.rules.test(rel);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

function toPosix(p: string): string {
  return path.sep === "/" ? p : p.split(path.sep).join("/");
}
