import type { z } from "zod";
import type { ReadLedger } from "./read-ledger.ts";
import type { SandboxSettings } from "./sandbox/settings.ts";

/**
 * Tool categories for two-stage routing (gnoma's tool/category.go): the model first picks one,
 * then sees only that category's schemas. Tools without a category fall in `meta`.
 */
export const TOOL_CATEGORIES = ["read", "write", "search", "exec", "meta"] as const;
/** One of {@link TOOL_CATEGORIES}. */
export type BuiltinToolCategory = (typeof TOOL_CATEGORIES)[number];
/**
 * A built-in category, or one an extension adds (`mcp_<server>`, `skills`, `agents`): lower-case
 * `[a-z0-9_-]`, described by the tool's `categoryHint` in the two-stage pick.
 */
export type ToolCategory = BuiltinToolCategory | (string & {});

/** What a tool run returns. `isError` marks a failure the model (and the patch-spiral detector) must see. */
export interface ToolOutput {
  output: string;
  isError?: boolean;
  /** Small structured facts for the UI and tests (e.g. exit code, total lines); never sent to the model. */
  metadata?: Record<string, unknown>;
}

/** Limits the built-in tools honour (bytes and seconds). */
export interface ToolLimits {
  /** Largest file fs_read reads, fs_edit edits or fs_write writes, in bytes. Default 1 MiB. */
  maxFileBytes: number;
  /** Default bash timeout in seconds (default 30); the model may ask for up to `maxBashTimeoutSec`. */
  bashTimeoutSec: number;
  maxBashTimeoutSec: number;
  /** Cap on captured bash output in bytes (head and tail kept). Default 64 KiB. */
  maxOutputBytes: number;
}

/** Everything a tool run may use. Tools must not read flags, config or the environment themselves. */
export interface ToolContext {
  /** Absolute, symlink-resolved workspace root; every path resolves inside it. */
  workspaceRoot: string;
  signal: AbortSignal;
  /** The id of the tool call being run (the engine sets it), so a host can attach what it shows to the call. */
  callId?: string;
  limits: ToolLimits;
  /**
   * The environment for child processes (bash), already filtered (see childEnv); default childEnv(process.env).
   */
  childEnv?: Readonly<Record<string, string>>;
  /** Absolute real directories no tool may write (owlet's user config directory); `.owlet/` always is. */
  protectedDirs?: readonly string[];
  /**
   * The reason a path deny rule refuses `rel` (workspace-relative, `/`-separated, after symlinks) for `tool`, or
   * undefined. Tools apply it to the path a call resolves to and to every file a search reads, so a deny rule
   * cannot be evaded through a symlink or a directory search.
   */
  pathDenied?: (tool: string, rel: string) => string | undefined;
  /**
   * Read-before-write (see ReadLedger): when present, fs_read records what it read and fs_edit/fs_write refuse
   * to change an existing file that was not read, or changed since. Absent: no such check.
   */
  reads?: ReadLedger;
  /** How bash sandboxes commands (see sandbox/settings.ts); absent: not sandboxed (tests, library use). */
  sandbox?: SandboxSettings;
  /**
   * Text files through an editor (ACP's fs/read_text_file, fs/write_text_file), so the tools see and change
   * unsaved buffers. Paths are absolute and already checked by the workspace guard; absent: the disk only.
   */
  files?: TextFileAccess;
  /**
   * Runs bash's commands somewhere else (an editor's terminal, ACP's terminal/create), given the exact argv owlet
   * would spawn (the sandbox's bwrap line, under `env -i` so only the allowlisted environment reaches it).
   * Absent: owlet spawns it.
   */
  commands?: CommandHost;
}

/** A command as owlet would spawn it: `argv[0]` and its arguments, run in `cwd`. */
export interface CommandLine {
  argv: string[];
  cwd: string;
}

/** How a hosted command ended: the combined output (at most `maxOutputBytes`), exit code or signal. */
export interface HostedRun {
  output: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
}

/**
 * Where bash's commands run when not as owlet's own children. `run` resolves when the command has ended: killed
 * after `timeoutMs` (timedOut) or once `signal` aborts (aborted). It may reject when the host cannot run it.
 */
export interface CommandHost {
  run(
    line: CommandLine,
    opts: { timeoutMs: number; signal: AbortSignal; maxOutputBytes: number; callId?: string },
  ): Promise<HostedRun>;
}

/**
 * An editor's view of text files (as ACP's client file system: the buffer's text, unsaved changes included).
 * `read` resolves the text, or undefined to read the disk; `write` resolves true when the editor took the
 * write, false to write the disk. Either may reject: the tool then reports a file error.
 */
export interface TextFileAccess {
  read(abs: string): Promise<string | undefined>;
  write(abs: string, content: string): Promise<boolean>;
}

/**
 * A tool the model can call. `parameters` is a zod object schema; its JSON Schema (zod's `toJSONSchema`)
 * is what the model sees. `description` is kept short: small models pay for every schema token on every request.
 */
export interface Tool<P = any> {
  /** API-safe wire name: `^[a-zA-Z0-9_-]{1,64}$`, e.g. `fs_read`. */
  readonly name: string;
  readonly description: string;
  readonly parameters: z.ZodType<P>;
  readonly category: ToolCategory;
  /** A few words on what the category is for, shown in the two-stage pick (extension categories; built-ins have theirs). */
  readonly categoryHint?: string;
  /**
   * The JSON Schema the model sees, passed as it is (MCP tools: the server's schema, without loss through zod);
   * `parameters` then only checks that the arguments are an object, and the server validates them.
   */
  readonly inputSchema?: Record<string, unknown>;
  /**
   * Optional parameters left out of the schema offered to small local models: their defaults are what such a
   * model should use, and offered them it fills them in badly (`fs_read` with `"limit": 1`, issue 8).
   */
  readonly leanOmits?: readonly string[];
  /** Further two-stage steps that offer this tool too (fs_read in `write`: a write step can read first). */
  readonly alsoIn?: readonly ToolCategory[];
  /** Read-only tools run concurrently and are allowed without asking in `auto` mode. */
  readonly readOnly: boolean;
  /** Destructive tools (e.g. bash) always need permission outside bypass. */
  readonly destructive: boolean;
  /** Runs the tool with validated arguments. Throwing is allowed: the engine turns it into an error result. */
  run(args: P, ctx: ToolContext): Promise<ToolOutput>;
}
