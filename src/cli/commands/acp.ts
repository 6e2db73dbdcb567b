import { serveAcp } from "../../acp/server.ts";
import type { FlagOverrides } from "../../config/load.ts";
import { owletPermissionMode } from "../stream-json/rules.ts";
import { owletVersion } from "../version.ts";

/** The flags of `owlet acp` (commander's camelCase names): the model and policy settings of every session. */
export interface AcpOptions {
  provider?: string;
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  contextWindow?: number;
  maxTurns?: number;
  permissionMode?: string;
  sandbox?: string;
  twoStage?: boolean;
  config?: string;
}

/**
 * `owlet acp`: serves the Agent Client Protocol on stdin/stdout until the client closes stdin (see
 * acp/server.ts); notices go to stderr. Returns the exit code (0).
 */
export async function runAcp(opts: AcpOptions): Promise<number> {
  const flags: Partial<FlagOverrides> = {
    ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
    ...(opts.model !== undefined ? { model: opts.model } : {}),
    ...(opts.baseUrl !== undefined ? { baseURL: opts.baseUrl } : {}),
    ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
    ...(opts.contextWindow !== undefined ? { contextWindow: opts.contextWindow } : {}),
    ...(opts.maxTurns !== undefined ? { maxTurns: opts.maxTurns } : {}),
    ...(opts.permissionMode !== undefined
      ? { permissionMode: owletPermissionMode(opts.permissionMode) }
      : {}),
    ...(opts.sandbox !== undefined ? { sandbox: opts.sandbox } : {}),
    ...(opts.twoStage !== undefined ? { twoStage: opts.twoStage } : {}),
  };
  await serveAcp({
    input: process.stdin,
    output: process.stdout,
    env: process.env,
    flags,
    ...(opts.config ? { configFile: opts.config } : {}),
    notify: (message) => process.stderr.write(`owlet: ${message}\n`),
    version: owletVersion(),
  });
  return 0;
}
