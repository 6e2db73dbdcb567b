import { existsSync, mkdirSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "../config/errors.ts";
import { type LoadedConfig, loadConfig } from "../config/load.ts";
import type { OwletConfig } from "../config/schema.ts";
import { canonicalFolder, userConfigDir } from "../config/trust.ts";
import { detectCheckCommand } from "../context/check-command.ts";
import { loadProjectDocs, systemPrompt } from "../context/system-prompt.ts";
import { familyCounter, modelCounter } from "../context/tokens.ts";
import { Engine } from "../engine/engine.ts";
import type { TwoStageSetting } from "../engine/two-stage.ts";
import { noTtyAsker, PermissionPolicy, pathDenyFilter, ttyAsker } from "../policy/index.ts";
import { API_KEY_ENV } from "../provider/ai-sdk/api-key-env.ts";
import { ProviderError } from "../provider/errors.ts";
import { resolveToolName } from "../provider/textcalls/names.ts";
import { repairJson } from "../provider/textcalls/repair.ts";
import { type Session, SessionStore } from "../session/index.ts";
import { builtinTools } from "../tool/builtin/index.ts";
import { childEnv } from "../tool/child-env.ts";
import { ReadLedger } from "../tool/read-ledger.ts";
import { ToolRegistry } from "../tool/registry.ts";
import { ResultsStore } from "../tool/results-store.ts";
import { probeSandbox } from "../tool/sandbox/probe.ts";
import { knownSecretsFromEnv, registerKnownSecrets } from "../tool/secrets/known.ts";
import { redactSecrets } from "../tool/secrets/redact.ts";
import { EXIT, UserError } from "./exit-codes.ts";
import { setHttpTimeouts } from "./http-timeouts.ts";
import { JsonRenderer } from "./output/json-renderer.ts";
import type { Renderer, RenderTarget } from "./output/renderer.ts";
import { StreamJsonRenderer } from "./output/stream-json-renderer.ts";
import { TextRenderer } from "./output/text-renderer.ts";
import { checkGate, permissionGate } from "./permission-gate.ts";
import type { PrintOptions } from "./print-options.ts";
import { promptAsksForChange } from "./prompt-intent.ts";
import { readPrompt, stdinIsPipedInput } from "./read-prompt.ts";
import { buildRouting } from "./routing-setup.ts";

/** After Ctrl-C, the longest owlet waits for the turn to wind down before exiting anyway (130), ms. */
const FORCED_EXIT_MS = 900;

/**
 * Print mode (`owlet -p "PROMPT"`): one turn, non-interactively. Loads config, resolves the arm(s), opens or
 * resumes the session, runs the engine and renders the run in the chosen output format.
 * Returns the exit code: 0 success, 1 the turn failed, 2 usage/config/credentials/endpoint, 130 interrupted.
 * User errors never print a stack trace.
 */
export async function runPrintMode(words: string[], opts: PrintOptions): Promise<number> {
  const target: RenderTarget = { out: process.stdout, err: process.stderr, verbose: opts.verbose === true };
  const renderer = makeRenderer(opts.outputFormat, target);
  try {
    return await run(words, opts, renderer);
  } catch (err) {
    if (err instanceof UserError || err instanceof ConfigError) {
      renderer.error(err.message);
      return err instanceof UserError ? err.exitCode : EXIT.usage;
    }
    // A provider that cannot even be built (e.g. openai-compatible without a base URL) is a setup error.
    if (err instanceof ProviderError) {
      renderer.error(err.hint ? `${err.message}\nhint: ${err.hint}` : err.message);
      return EXIT.usage;
    }
    throw err;
  }
}

function makeRenderer(format: PrintOptions["outputFormat"], target: RenderTarget): Renderer {
  if (format === "json") return new JsonRenderer(target);
  if (format === "stream-json") return new StreamJsonRenderer(target);
  return new TextRenderer(target);
}

async function run(words: string[], opts: PrintOptions, renderer: Renderer): Promise<number> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory())
    throw new UserError(`--cwd: no such directory: ${cwd}`);
  // Values owlet holds that must never reach a model, in whatever output they turn up (see registerKnownSecrets).
  registerKnownSecrets([
    ...knownSecretsFromEnv(process.env),
    ...(opts.apiKey ? [{ value: opts.apiKey, rule: "provider-key" }] : []),
  ]);
  const prompt = await redactedInput(
    await readPrompt(opts.print, words, process.stdin, stdinIsPipedInput()),
    "the prompt",
  );
  const loaded = await loadConfig({
    cwd,
    ...(opts.config ? { configFile: opts.config } : {}),
    env: process.env,
    flags: flagOverrides(opts),
  });
  const config = loaded.config;
  registerKnownSecrets([
    ...knownSecretsFromEnv(process.env),
    ...providerKeys(config, opts).map((value) => ({ value, rule: "provider-key" })),
  ]);
  if (loaded.trust.ignored.length > 0) process.stderr.write(`owlet: warning: ${untrustedWarning(loaded)}\n`);
  const localOnly = opts.localOnly === true || config.router.local_only === true;
  const sessions = new SessionStore(loaded.projectRoot);
  try {
    sessions.checkNotSymlinked();
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err));
  }
  // A session to resume is checked before any model is looked for: a mistyped id is the first thing to say.
  const resumed = resumeSession(sessions, opts);

  const routing = await buildRouting({
    config,
    cwd,
    env: process.env,
    localOnly,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    pinned: opts.provider !== undefined || opts.model !== undefined,
  });

  ignoreOwletState(loaded.projectRoot);
  const session =
    resumed ??
    (config.session.enabled
      ? sessions.create({
          provider: routing.primary.id.split("/")[0] ?? routing.primary.id,
          model: routing.primary.model,
          cwd,
        })
      : undefined);

  const registry = new ToolRegistry();
  for (const tool of builtinTools()) registry.register(tool);
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const policy = new PermissionPolicy({
    mode: config.permission.mode,
    rules: config.permission.rules ?? [],
    ...(config.sandbox.mode === "off" ? {} : { sandbox: probeSandbox }),
    warn: (message) => process.stderr.write(`owlet: ${message}\n`),
  });
  const gate = permissionGate(
    policy,
    interactive ? ttyAsker(process.stdin, process.stderr) : noTtyAsker,
    interactive,
  );
  const rawDocs = loadProjectDocs(loaded.projectRoot);
  const docs = rawDocs ? await redactedInput(rawDocs, "the project docs") : rawDocs;

  const e = config.engine;
  setHttpTimeouts(
    e.connect_timeout * 1000,
    (Math.max(e.first_byte_timeout, e.first_byte_timeout_local, e.idle_timeout, e.idle_timeout_local) + 30) *
      1000,
  );
  const engine = new Engine({
    routing: routing.policy,
    tools: registry,
    toolContext: {
      workspaceRoot: cwd,
      protectedDirs: [canonicalFolder(userConfigDir(process.env))],
      childEnv: childEnv(process.env, {
        allow: config.tools.env_allow,
        secretValues: providerKeys(config, opts),
      }),
      pathDenied: pathDenyFilter(config.permission.rules ?? [], realpathSync(cwd)),
      reads: new ReadLedger(),
      limits: {
        maxFileBytes: config.tools.max_file_size,
        bashTimeoutSec: config.tools.bash_timeout,
        maxBashTimeoutSec: Math.max(600, config.tools.bash_timeout),
        maxOutputBytes: config.tools.max_output_bytes,
      },
      sandbox: config.sandbox,
    },
    systemPrompt: (arm) =>
      opts.system ??
      systemPrompt({ variant: arm.local ? "compact" : "full", cwd, ...(docs ? { projectDocs: docs } : {}) }),
    gate,
    ...(session ? { store: new ResultsStore(join(sessions.dir, `${session.id}.results`)) } : {}),
    maxTurns: config.engine.max_turns,
    expectsChanges: promptAsksForChange,
    checkCommand: (prompt) => detectCheckCommand(cwd, prompt),
    checkGate: checkGate(
      policy,
      gate,
      async () =>
        config.permission.mode === "accept_edits" &&
        config.sandbox.mode === "workspace-write" &&
        (await probeSandbox()).ok,
    ),
    streamTimeouts: (arm) =>
      arm.local
        ? { firstByteMs: e.first_byte_timeout_local * 1000, idleMs: e.idle_timeout_local * 1000 }
        : { firstByteMs: e.first_byte_timeout * 1000, idleMs: e.idle_timeout * 1000 },
    turnTimeoutMs: e.turn_timeout * 1000,
    twoStage: twoStageSetting(config),
    ...(config.provider.max_output_tokens ? { maxOutputTokens: config.provider.max_output_tokens } : {}),
    ...(config.provider.temperature !== undefined ? { temperature: config.provider.temperature } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    tokenCounter: (arm) => {
      // The embedded model's own tokenizer once loaded (a lazily loaded router arm counts by estimate until then).
      const own = arm.provider;
      if (own.countTokens && own.contextWindow !== undefined) return modelCounter(own.countTokens.bind(own));
      return familyCounter(arm.model);
    },
    repairJson: (text) => {
      const r = repairJson(text);
      return r ? JSON.stringify(r.value) : undefined;
    },
    resolveToolName,
    onEvent: (e) => renderer.event(e),
    ...(session
      ? {
          onMessage: (m) => session.append(m),
          onUsage: (u, round, armId) => session.appendUsage(u, round, armId),
        }
      : {}),
  });
  if (session) engine.history = session.messages();

  const controller = new AbortController();
  const onSigint = () => {
    controller.abort(new Error("interrupted"));
    // The turn returns within a moment of the abort; should anything still hold the process (a model call that
    // ignores the abort, a tool that will not die), leave anyway within a second of Ctrl-C.
    setTimeout(() => {
      process.stderr.write("owlet: interrupted\n");
      process.exit(EXIT.interrupted);
    }, FORCED_EXIT_MS).unref();
  };
  process.once("SIGINT", onSigint);
  try {
    const turn = await engine.runTurn(prompt, controller.signal);
    renderer.result(turn, session?.id);
    await routing.close?.();
    switch (turn.status) {
      case "success":
        return EXIT.ok;
      case "aborted":
        return EXIT.interrupted;
      case "routing_error":
        return EXIT.usage;
      case "provider_error":
        // Endpoint, credentials or model name wrong: something the user sets, as config errors are.
        return turn.errorKind === "unreachable" || turn.errorKind === "auth" || turn.errorKind === "not_found"
          ? EXIT.usage
          : EXIT.turnFailed;
      default:
        return EXIT.turnFailed;
    }
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/**
 * Every API key owlet may send to a provider: `--api-key`, `api_key` values in config, and the providers' key
 * variables. Commands never see them, under any name (see childEnv).
 */
function providerKeys(config: OwletConfig, opts: PrintOptions): string[] {
  const keys: (string | undefined)[] = [opts.apiKey, config.provider.api_key];
  for (const entry of Object.values(config.provider))
    if (typeof entry === "object" && entry !== null && "api_key" in entry) keys.push(entry.api_key);
  for (const arm of config.arms) keys.push(arm.api_key);
  for (const names of Object.values(API_KEY_ENV)) for (const name of names) keys.push(process.env[name]);
  return keys.filter((k): k is string => typeof k === "string" && k !== "");
}

/** `text` with its secrets redacted (see redactSecrets); a note on stderr says how many, from `what`. */
async function redactedInput(text: string, what: string): Promise<string> {
  const r = await redactSecrets(text);
  if (r.count > 0)
    process.stderr.write(
      `owlet: ${r.count} secret${r.count === 1 ? "" : "s"} redacted from ${what} before sending it to the model (${r.rules.join(", ")})\n`,
    );
  return r.text;
}

/** The one warning for an untrusted project whose config tried to raise permissions: what was ignored, and how to trust. */
export function untrustedWarning(loaded: LoadedConfig): string {
  return (
    `${loaded.trust.projectFile} is in a folder you have not trusted, so these settings were ignored: ` +
    `${loaded.trust.ignored.join(", ")}. If you trust this repository, run: owlet trust ${loaded.projectRoot}`
  );
}

function flagOverrides(opts: PrintOptions) {
  return {
    ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
    ...(opts.model !== undefined ? { model: opts.model } : {}),
    ...(opts.baseUrl !== undefined ? { baseURL: opts.baseUrl } : {}),
    ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
    ...(opts.contextWindow !== undefined ? { contextWindow: opts.contextWindow } : {}),
    ...(opts.maxTurns !== undefined ? { maxTurns: opts.maxTurns } : {}),
    ...(opts.permissionMode !== undefined ? { permissionMode: opts.permissionMode } : {}),
    ...(opts.twoStage !== undefined ? { twoStage: opts.twoStage } : {}),
    ...(opts.sandbox !== undefined ? { sandbox: opts.sandbox } : {}),
  };
}

function twoStageSetting(config: OwletConfig): TwoStageSetting {
  if (config.router.two_stage === false) return "off";
  if (config.router.two_stage === true || config.router.force_two_stage) return "on";
  return "auto";
}

/** The session `--resume <id>` or `--continue` names, or undefined for a new one. Throws UserError (exit 2). */
function resumeSession(store: SessionStore, opts: PrintOptions): Session | undefined {
  if (opts.resume) {
    try {
      return store.open(opts.resume);
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err));
    }
  }
  if (opts.continue) {
    let latest: Session | undefined;
    try {
      latest = store.latest();
    } catch (err) {
      throw new UserError(`--continue: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!latest) throw new UserError(`--continue: no earlier session in ${store.dir}`);
    return latest;
  }
  return undefined;
}

/**
 * Keeps sessions and saved tool output out of the user's commits: writes `.owlet/.gitignore` (ignoring
 * `sessions/`) unless one exists. `.owlet/config.toml` stays committable.
 */
function ignoreOwletState(projectRoot: string): void {
  const file = join(projectRoot, ".owlet", ".gitignore");
  if (existsSync(file)) return;
  try {
    mkdirSync(join(projectRoot, ".owlet"), { recursive: true, mode: 0o700 });
    writeFileSync(file, "# owlet's sessions and saved tool results are local state\nsessions/\n");
  } catch {
    // read-only project: sessions will fail to open with their own clear error
  }
}
