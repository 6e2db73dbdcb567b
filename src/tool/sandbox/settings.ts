/**
 * Sandbox modes for the bash tool, after Codex's `--sandbox` modes (codex-rs `SandboxPolicy`):
 * - `workspace-write` (default): the workspace is writable, except `.git/hooks`, `.git/config` and owlet's own
 *   `.owlet/`; everything else is read-only; `/tmp` is private; no network.
 * - `read-only`: nothing outside the private `/tmp` is writable; no network.
 * - `off`: bash runs directly, as the user.
 */
export const SANDBOX_MODES = ["workspace-write", "read-only", "off"] as const;

/** One of {@link SANDBOX_MODES}. */
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** The mode used when none is configured. */
export const DEFAULT_SANDBOX_MODE: SandboxMode = "workspace-write";

/** True when `value` is one of {@link SANDBOX_MODES}. */
export function isSandboxMode(value: string): value is SandboxMode {
  return (SANDBOX_MODES as readonly string[]).includes(value);
}

/** How the bash tool sandboxes commands (`[sandbox]` in config, `--sandbox` on the command line). */
export interface SandboxSettings {
  mode: SandboxMode;
  /** Let commands reach the network (`[sandbox] network = true`); default false. */
  network: boolean;
  /**
   * Environment variable names passed into the sandbox besides PATH, HOME, LANG and TERM (`[sandbox] env`).
   * Provider API keys are never passed, even when named.
   */
  env: readonly string[];
}

/** The built-in settings: workspace-write, no network, no extra environment. */
export const DEFAULT_SANDBOX_SETTINGS: SandboxSettings = {
  mode: DEFAULT_SANDBOX_MODE,
  network: false,
  env: [],
};
