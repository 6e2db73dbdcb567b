import type { ProviderName } from "./types.ts";

const LOCAL_PROVIDERS: ReadonlySet<ProviderName> = new Set<ProviderName>([
  "llamacpp",
  "ollama",
  "lmstudio",
  "embedded",
]);

/** True when `host` (as in a URL, IPv6 possibly bracketed) is loopback: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  // IPv4-mapped IPv6: WHATWG URL normalises [::ffff:127.0.0.1] to [::ffff:7f00:1].
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(h);
  if (mappedHex) return Number.parseInt(mappedHex[1]!, 16) >> 8 === 127;
  const v4 = h.startsWith("::ffff:") ? h.slice("::ffff:".length) : h;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  if (!m) return false;
  return m.slice(1).every((o) => Number(o) <= 255) && m[1] === "127";
}

/**
 * Whether a provider endpoint is a local arm (runs on this machine, so no data leaves it and routing
 * treats it as tier "local", as gnoma's `IsLocal`): true for llamacpp, ollama, lmstudio and embedded,
 * and for any provider whose `baseURL` host is loopback (127.0.0.0/8, ::1, localhost), e.g. an
 * `openai-compatible` vLLM on 127.0.0.1. An unparsable `baseURL` counts as not local.
 */
export function isLocalArm(provider: ProviderName, baseURL?: string): boolean {
  if (LOCAL_PROVIDERS.has(provider)) return true;
  if (!baseURL) return false;
  try {
    return isLoopbackHost(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}
