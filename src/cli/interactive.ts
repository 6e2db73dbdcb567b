import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Agent, AgentIO } from "../agent/agent.ts";
import { AgentSetupError } from "../agent/errors.ts";
import { ConfigError } from "../config/errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { userStateDir } from "../config/user-path.ts";
import type { AgentChange } from "../ui/commands/types.ts";
import {
  agentFlagOptions,
  flagOverrides,
  httpTimeoutsMs,
  sessionChoice,
  untrustedWarning,
  withToolFlagRules,
} from "./agent-options.ts";
import { EXIT, UserError } from "./exit-codes.ts";
import { setHttpTimeouts } from "./http-timeouts.ts";
import type { PrintOptions } from "./print-options.ts";
import { owletVersion } from "./version.ts";

/**
 * `owlet` on a terminal (no `-p`, stdin and stdout TTYs): the interactive UI. Loads config with the flags layered
 * in (a config error is printed and exits 2 before the UI opens), then hands the UI a way to build agents:
 * `--provider/--model` and later `/model`, `/provider` pin the arm; `--continue`/`--resume` pick the first
 * conversation; the positional words are the first prompt. Returns the exit code (0 after /quit, Ctrl+D or
 * Ctrl+C twice).
 */
export async function runInteractiveMode(words: string[], opts: PrintOptions): Promise<number> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    process.stderr.write(`owlet: --cwd: no such directory: ${cwd}\n`);
    return EXIT.usage;
  }
  // The UI module loads first and draws its first frame before the config (zod, TOML) or the agent is loaded
  // (issue 10: first frame ≤ 250 ms); a config error then closes the UI and exits 2, as in print mode.
  const { runInteractive } = await import("../ui/run.tsx");
  const first = load(opts, cwd, {});
  first.catch(() => {});
  /** The arm the user chose last (flags, then /model and /provider): kept by later changes such as /clear. */
  let arm: { provider?: string; model?: string } = {};
  let loaded: LoadedConfig | undefined;
  /** The agent built last: its price table prices the status line's cost. */
  let current: Agent | undefined;

  const build = async (change: AgentChange, io: AgentIO): Promise<Agent> => {
    const nextArm =
      change.provider !== undefined
        ? { provider: change.provider, ...(change.model !== undefined ? { model: change.model } : {}) }
        : change.model !== undefined
          ? { ...arm, model: change.model }
          : arm;
    const config = nextArm === arm ? (loaded ?? (await first)) : await load(opts, cwd, nextArm);
    const { createAgent } = await import("../agent/create-agent.ts");
    const agent = await createAgent({
      config,
      cwd,
      io,
      session: change.helper ? { kind: "new" } : (change.session ?? sessionChoice(opts)),
      ...agentFlagOptions(opts),
      pinnedArm:
        opts.provider !== undefined ||
        opts.model !== undefined ||
        nextArm.provider !== undefined ||
        nextArm.model !== undefined,
      // A helper (`/init`) beside the conversation: its own tools, nothing on disk, the host's state untouched.
      ...(change.helper ? { toolFilter: change.helper.toolFilter, persist: false } : {}),
    });
    if (change.helper) return agent;
    arm = nextArm;
    loaded = config;
    current = agent;
    return agent;
  };

  const prompt = words.join(" ").trim();
  try {
    return await runInteractive({
      cwd,
      env: process.env,
      version: owletVersion(),
      ready: first.then((config) => {
        const timeouts = httpTimeoutsMs(config.config);
        setHttpTimeouts(timeouts.connectMs, timeouts.bodyMs);
        return config.trust.ignored.length > 0 ? [untrustedWarning(config)] : [];
      }),
      createAgent: async (change, io) => {
        try {
          return await build(change, io);
        } catch (err) {
          if (err instanceof AgentSetupError || err instanceof ConfigError) throw new Error(err.message);
          throw err;
        }
      },
      ...(opts.continue || opts.resume ? { session: sessionChoice(opts) } : {}),
      ...(prompt ? { initialPrompt: prompt } : {}),
      historyFile: join(userStateDir(process.env), "history.jsonl"),
      priceOf: (armId) => current?.armPrice(armId),
    });
  } catch (err) {
    if (err instanceof UserError || err instanceof ConfigError) {
      process.stderr.write(`owlet: ${err.message}\n`);
      return err instanceof UserError ? err.exitCode : EXIT.usage;
    }
    throw err;
  }
}

/** Loads the config with the flags (and the arm chosen in the UI) layered in; config is imported on first use. */
async function load(
  opts: PrintOptions,
  cwd: string,
  arm: { provider?: string; model?: string },
): Promise<LoadedConfig> {
  const { loadConfig } = await import("../config/load.ts");
  const loaded = await loadConfig({
    cwd,
    ...(opts.config ? { configFile: opts.config } : {}),
    env: process.env,
    flags: flagOverrides(opts, arm),
  });
  return withToolFlagRules(loaded, opts);
}
