import { isAbsolute, relative, resolve, sep } from "node:path";
import type { ToolCallBlock } from "../../message/types.ts";
import type { Tool, ToolOutput } from "../types.ts";
import type { ShadowRepo } from "./shadow-repo.ts";

/**
 * A file a tool call was about to change, as recorded before the call ran: `path` relative to the workspace (with
 * `/`), `before` the blob id of its content in the checkpoint store (null: it did not exist), `mode` its git mode.
 * The session stores these as `change` records.
 */
export interface FileChange {
  turn: number;
  tool: string;
  call: string;
  path: string;
  before: string | null;
  mode?: string;
}

/** Tools whose `path` argument names the one file they change (recorded alone, without a snapshot). */
export const FILE_TOOLS: ReadonlySet<string> = new Set(["fs_write", "fs_edit"]);

/** Options of {@link CheckpointRecorder}. */
export interface RecorderOptions {
  repo: ShadowRepo;
  /** Receives every change, in order (the session appends it). */
  onChange: (change: FileChange) => void;
  /** One line for the user when checkpointing fails (the call still runs, unrecorded). */
  warn?: (message: string) => void;
}

/**
 * Records, before a tool call changes anything, the files it may change, so a turn can be undone
 * (restore.ts): for fs_write and fs_edit the file their `path` names (stored as it is, or recorded as absent);
 * for any other tool that is not read-only (bash, and whatever tools are added later) the whole workspace is
 * snapshotted before the call (`git add -A` into the shadow repository) and again after it, and every file
 * that differs is recorded with its content from before. Read-only tools are not touched. Wraps tool
 * execution (the engine's ToolCallWrapper), so the tools themselves know nothing of it. A file is recorded once
 * per turn (its state before the turn's first change is what undo restores).
 */
export class CheckpointRecorder {
  /** The turn calls belong to (the session's turn number); set by the agent before each turn. */
  turn = 0;
  private readonly opts: RecorderOptions;
  private readonly recorded = new Map<number, Set<string>>();
  private warned = false;
  /** Workspace snapshots failed once (too large, too slow): bash calls run unrecorded from then on. */
  private snapshotsOff = false;

  constructor(opts: RecorderOptions) {
    this.opts = opts;
  }

  /** The engine's ToolCallWrapper: records, then runs the call. Never fails a call because of checkpointing. */
  readonly wrap = async (
    { call, tool, args }: { call: ToolCallBlock; tool: Tool; args: unknown },
    run: () => Promise<ToolOutput>,
  ): Promise<ToolOutput> => {
    if (tool.readOnly) return run();
    if (FILE_TOOLS.has(tool.name)) {
      const rel = this.workspacePath((args as { path?: unknown })?.path);
      if (rel) await this.guarded(() => this.recordFile(tool.name, call.id, rel));
      return run();
    }
    if (this.snapshotsOff) return run();
    const before = await this.guarded(() => this.opts.repo.snapshot());
    if (!before) this.snapshotsOff = true;
    const out = await run();
    if (before) {
      const ok = await this.guarded(async () => {
        const after = await this.opts.repo.snapshot();
        for (const change of await this.opts.repo.diff(before, after)) {
          if (change.before?.mode === "160000") continue; // a nested repository: not ours to restore
          this.emit(tool.name, call.id, change.path, change.before?.blob ?? null, change.before?.mode);
        }
        return true;
      });
      if (!ok) this.snapshotsOff = true;
    }
    return out;
  };

  private async recordFile(tool: string, call: string, rel: string): Promise<void> {
    if (this.seen(rel)) return;
    const entry = await this.opts.repo.storeFile(rel);
    this.emit(tool, call, rel, entry?.blob ?? null, entry?.mode);
  }

  private emit(tool: string, call: string, path: string, before: string | null, mode?: string): void {
    if (this.seen(path)) return;
    this.recorded.get(this.turn)!.add(path);
    this.opts.onChange({ turn: this.turn, tool, call, path, before, ...(mode ? { mode } : {}) });
  }

  private seen(path: string): boolean {
    let set = this.recorded.get(this.turn);
    if (!set) {
      set = new Set();
      this.recorded.set(this.turn, set);
    }
    return set.has(path);
  }

  /** A tool's path argument relative to the workspace (with `/`), or undefined when it is outside or not a path. */
  private workspacePath(value: unknown): string | undefined {
    if (typeof value !== "string" || value === "" || value.startsWith("~")) return undefined;
    const root = this.opts.repo.workTree;
    const abs = isAbsolute(value) ? value : resolve(root, value);
    const rel = relative(root, abs);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
    return rel.split(sep).join("/");
  }

  private async guarded<T>(step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (err) {
      if (!this.warned) {
        this.warned = true;
        this.opts.warn?.(
          `checkpoints: ${(err as Error).message}; changes of this call (and, for a failed workspace snapshot, of later commands) cannot be undone with owlet undo`,
        );
      }
      return undefined;
    }
  }
}
