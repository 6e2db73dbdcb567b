import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { McpServerInfo } from "./connection.ts";
import type { McpServerSpec } from "./spec.ts";

/** `$XDG_CACHE_HOME/owlet/mcp`, else `~/.cache/owlet/mcp`: what each server offered when it last started. */
export function mcpCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), ".cache");
  return join(base, "owlet", "mcp");
}

/** The cache file of a server: keyed by its name and how it is reached, so a changed spec starts afresh. */
function cacheFile(dir: string, spec: McpServerSpec): string {
  const key = createHash("sha256")
    .update(JSON.stringify({ name: spec.name, transport: spec.transport }))
    .digest("hex")
    .slice(0, 24);
  return join(dir, `${key}.json`);
}

/** What `spec`'s server offered last time, or undefined (never started, or the file is unreadable). */
export function readServerCache(dir: string, spec: McpServerSpec): McpServerInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(cacheFile(dir, spec), "utf8")) as McpServerInfo;
    return Array.isArray(info.tools) && Array.isArray(info.prompts) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Stores what the server offered (atomic write, 0600). I/O errors are ignored: the cache only saves time. */
export function writeServerCache(dir: string, spec: McpServerSpec, info: McpServerInfo): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = cacheFile(dir, spec);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // a read-only cache directory costs only the first request's MCP tools
  }
}
