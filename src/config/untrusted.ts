import { modeAtMost } from "../policy/mode-order.ts";
import type { PermissionMode } from "../policy/modes.ts";
import { isTable } from "./expand.ts";

/** Providers whose requests carry the user's API key from the environment (API_KEY_ENV is not empty). */
const KEYED_PROVIDERS = new Set(["anthropic", "openai", "google", "mistral"]);

/** The project layer without the keys an untrusted folder may not set, and the dotted names of what was dropped. */
export interface RestrictedLayer {
  data: Record<string, unknown>;
  ignored: string[];
}

/**
 * Drops from an untrusted project's config layer (raw, validated TOML data) every key that could raise what owlet
 * may do or where the user's credentials go:
 * - `permission.mode` unless it is at most as permissive as `inheritedMode` (the mode the layers below set; see
 *   modeAtMost), so a project can tighten but never loosen;
 * - `[[permission.rules]]` with `action = "allow"` (deny rules stay);
 * - `router.state_path` (a file owlet writes) and `tools.env_allow` (secrets passed to commands);
 * - `[sandbox]` settings that loosen the bash sandbox: any `mode` but `read-only`, `network = true`, `env`;
 * - every `api_key` (a `${VAR}` there reads the environment), `provider.base_url`, and `base_url` of the
 *   `[provider.<name>]` tables and `[[arms]]` of providers that send an API key from the environment (anthropic,
 *   openai, google, mistral), so a repository cannot point the user's key at its own server.
 * - `[hooks]` (commands owlet would run), and `[mcp_servers]` entries (servers owlet would start) except one
 *   that only says `enabled = false` (turning off a server of the user's);
 * As gemini-cli's untrusted workspaces (settings from the workspace are ignored) and Claude Code's trust dialog.
 * The input is not modified.
 */
export function restrictUntrusted(
  data: Record<string, unknown>,
  inheritedMode: PermissionMode,
): RestrictedLayer {
  const out = structuredClone(data);
  const ignored: string[] = [];
  const permission = out.permission;
  if (isTable(permission)) {
    const mode = permission.mode;
    if (typeof mode === "string" && !modeAtMost(mode as PermissionMode, inheritedMode)) {
      ignored.push(`permission.mode = "${mode}"`);
      delete permission.mode;
    }
    if (Array.isArray(permission.rules)) {
      const kept = permission.rules.filter((rule, index) => {
        const allow = isTable(rule) && rule.action === "allow";
        if (allow)
          ignored.push(
            `permission.rules[${index}] (allow ${String(rule.tool)}${rule.pattern === undefined ? "" : ` "${String(rule.pattern)}"`})`,
          );
        return !allow;
      });
      permission.rules = kept;
    }
  }
  const tools = out.tools;
  if (isTable(tools) && tools.env_allow !== undefined) {
    ignored.push("tools.env_allow");
    delete tools.env_allow;
  }
  // Part B's `[sandbox]` (validated by the schema where it exists): a project may make bash stricter, never looser.
  const sandbox = out.sandbox;
  if (isTable(sandbox)) {
    if (sandbox.mode !== undefined && sandbox.mode !== "read-only") {
      ignored.push(`sandbox.mode = "${String(sandbox.mode)}"`);
      delete sandbox.mode;
    }
    if (sandbox.network === true) {
      ignored.push("sandbox.network = true");
      delete sandbox.network;
    }
    if (sandbox.env !== undefined) {
      ignored.push("sandbox.env");
      delete sandbox.env;
    }
  }
  if (isTable(out.hooks) && Object.keys(out.hooks).length > 0) {
    ignored.push(`[hooks] (${Object.keys(out.hooks).join(", ")})`);
    delete out.hooks;
  }
  // A project may switch a server off (`enabled = false` alone), never add or change one.
  if (isTable(out.mcp_servers)) {
    const dropped: string[] = [];
    for (const [name, server] of Object.entries(out.mcp_servers)) {
      const offOnly = isTable(server) && server.enabled === false && Object.keys(server).length === 1;
      if (!offOnly) {
        dropped.push(name);
        delete out.mcp_servers[name];
      }
    }
    if (dropped.length > 0) ignored.push(`[mcp_servers] (${dropped.join(", ")})`);
  }
  const router = out.router;
  if (isTable(router) && router.state_path !== undefined) {
    ignored.push("router.state_path");
    delete router.state_path;
  }
  const provider = out.provider;
  if (isTable(provider)) {
    for (const key of ["api_key", "base_url"]) {
      if (provider[key] !== undefined) {
        ignored.push(`provider.${key}`);
        delete provider[key];
      }
    }
    for (const [name, entry] of Object.entries(provider)) {
      if (!isTable(entry)) continue;
      if (entry.api_key !== undefined) {
        ignored.push(`provider.${name}.api_key`);
        delete entry.api_key;
      }
      if (KEYED_PROVIDERS.has(name) && entry.base_url !== undefined) {
        ignored.push(`provider.${name}.base_url`);
        delete entry.base_url;
      }
    }
  }
  if (Array.isArray(out.arms)) {
    out.arms.forEach((arm, index) => {
      if (!isTable(arm)) return;
      const id = `arms[${index}]${typeof arm.id === "string" ? ` ("${arm.id}")` : ""}`;
      if (arm.api_key !== undefined) {
        ignored.push(`${id}.api_key`);
        delete arm.api_key;
      }
      // An arm without a provider here overrides a user-defined arm: its provider is unknown, so treat it as keyed.
      const keyed = typeof arm.provider !== "string" || KEYED_PROVIDERS.has(arm.provider);
      if (keyed && arm.base_url !== undefined) {
        ignored.push(`${id}.base_url`);
        delete arm.base_url;
      }
    });
  }
  return { data: out, ignored };
}
