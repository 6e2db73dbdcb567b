import { Agent, setGlobalDispatcher } from "undici";

/**
 * Sets the process-wide HTTP timeouts of `fetch` (which every provider uses): `connectMs` to open a TCP/TLS
 * connection (a blackholed address fails in seconds instead of the OS's minutes). Waiting for headers and body
 * data is left to the engine's per-arm first-byte and idle watchdogs, so undici's own 300 s header/body timeouts
 * are raised to `streamMaxMs` (the longest engine timeout plus a margin) and never cut a slow local model first.
 * Uses undici's Agent, the dispatcher behind Node's built-in fetch.
 */
export function setHttpTimeouts(connectMs: number, streamMaxMs: number): void {
  setGlobalDispatcher(
    new Agent({ connect: { timeout: connectMs }, headersTimeout: streamMaxMs, bodyTimeout: streamMaxMs }),
  );
}
