import type { Tool, ToolLimits } from "../types.ts";
import { bash } from "./bash.ts";
import { fsEdit } from "./fs_edit.ts";
import { fsGlob } from "./fs_glob.ts";
import { fsGrep } from "./fs_grep.ts";
import { fsLs } from "./fs_ls.ts";
import { fsRead } from "./fs_read.ts";
import { fsWrite } from "./fs_write.ts";

export { bash } from "./bash.ts";
export { fsEdit } from "./fs_edit.ts";
export { fsGlob } from "./fs_glob.ts";
export { createFsGrepTool, type FsGrepOptions, fsGrep } from "./fs_grep.ts";
export { fsLs } from "./fs_ls.ts";
export { fsRead } from "./fs_read.ts";
export { fsWrite } from "./fs_write.ts";

/**
 * Default tool limits (gnoma's defaults): 1 MiB files, bash 30 s default / 600 s max, 64 KiB of
 * captured bash output.
 */
export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxFileBytes: 1024 * 1024,
  bashTimeoutSec: 30,
  maxBashTimeoutSec: 600,
  maxOutputBytes: 64 * 1024,
};

/** The built-in tools, sorted by name: bash, fs_edit, fs_glob, fs_grep, fs_ls, fs_read, fs_write. */
export function builtinTools(): Tool[] {
  return [bash, fsEdit, fsGlob, fsGrep, fsLs, fsRead, fsWrite];
}
