import { existsSync, statSync } from "node:fs";
import { compactPreviousToolResultsCounted } from "../context/compact-results.ts";
import { measureMessage } from "../context/measure.ts";
import { loadProjectDocs } from "../context/system-prompt.ts";
import { Engine } from "../engine/engine.ts";
import { releaseSessionLock, SessionStore } from "../session/index.ts";
import type { Agent, AgentOptions } from "./agent.ts";
import { contextUsage } from "./context-usage.ts";
import { engineOptions, tokenCounter } from "./engine-setup.ts";
import { AgentSetupError, setupError } from "./errors.ts";
import { EventHub } from "./events.ts";
import { buildGates } from "./permission-gate.ts";
import { buildRouting } from "./routing.ts";
import { redactedInput, registerAgentSecrets } from "./secrets.ts";
import { ignoreOwletState, openChosenSession } from "./sessions.ts";
import { runUserShell, shellNote } from "./shell.ts";
import { builtinRegistry, toolContext } from "./tools.ts";

/**
 * Builds a ready agent from loaded config — the one place the layers are wired together (print mode, and later
 * the TUI, subagents and an editor protocol, are its clients). In order: the secrets owlet holds are registered
 * for redaction; the session to continue is opened and locked (before any model is looked for, so a mistyped
 * id is the first thing reported); the routing is built (one fixed arm, or the learning router over `[[arms]]`,
 * discovered servers and cached models: this may probe local servers, load an embedded model or download a
 * catalogue model); `.owlet/.gitignore` is written; a new session is created unless one was opened or sessions
 * are disabled; then the tools, permission gates, project docs (redacted) and the engine, its history the
 * session's messages.
 *
 * Throws AgentSetupError (a message for the user: bad or busy session, symlinked state directory, missing model
 * or credentials, invalid `[[arms]]`, nothing found, `--local-only` broken, `cwd` not a directory) or ProviderError
 * (a provider that cannot be built, e.g. openai-compatible without a base URL). Other errors (I/O creating the
 * session) propagate as they are.
 */
export async function createAgent(options: AgentOptions): Promise<Agent> {
  const { config: loaded, cwd, io } = options;
  const config = loaded.config;
  if (!existsSync(cwd) || !statSync(cwd).isDirectory())
    throw new AgentSetupError(`no such directory: ${cwd}`);
  registerAgentSecrets(config, io.env);

  const sessions = new SessionStore(loaded.projectRoot);
  try {
    sessions.checkNotSymlinked();
  } catch (err) {
    throw setupError(err);
  }
  const resumed = openChosenSession(sessions, options.session ?? { kind: "new" });
  const routing = await buildRouting({
    config,
    cwd,
    env: io.env,
    localOnly: options.localOnly === true || config.router.local_only === true,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    pinned: options.pinnedArm === true,
    notify: io.notify,
    ...(io.progress ? { progress: io.progress } : {}),
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

  const tools = builtinRegistry();
  const gates = buildGates(config, io.ask, io.notify);
  const rawDocs = loadProjectDocs(loaded.projectRoot);
  const docs = rawDocs ? await redactedInput(rawDocs, "the project docs", io.notify) : rawDocs;
  const events = new EventHub();
  if (options.onEvent) events.subscribe(options.onEvent);
  const context = toolContext(config, cwd, io.env);
  const engineOpts = engineOptions({
    config,
    cwd,
    routing: routing.policy,
    tools,
    toolContext: context,
    gates,
    ...(docs ? { projectDocs: docs } : {}),
    ...(options.systemPrompt !== undefined ? { systemOverride: options.systemPrompt } : {}),
    ...(session ? { session } : {}),
    sessionsDir: sessions.dir,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    onEvent: events.emit,
  });
  const engine = new Engine(engineOpts);
  if (session) engine.history = session.messages();
  /** What the user ran with `!command` since the last prompt: it travels with the next one. */
  const shellNotes: string[] = [];
  const historyTokens = () =>
    engine.history.reduce((n, m) => n + measureMessage(m, tokenCounter(routing.primary)), 0);

  return {
    engine,
    routing: routing.policy,
    primaryArm: routing.primary,
    tools,
    policy: gates.policy,
    gate: gates.gate,
    sessions,
    session,
    subscribe: (listener) => events.subscribe(listener),
    async runTurn(prompt, signal) {
      const full = [...shellNotes.splice(0), prompt].join("\n\n");
      return engine.runTurn(await redactedInput(full, "the prompt", io.notify), signal);
    },
    async runShell(command, signal = new AbortController().signal) {
      const run = await runUserShell(
        command,
        { tools, context, gate: gates.gate, emit: events.emit },
        signal,
      );
      shellNotes.push(shellNote(run));
      return run;
    },
    contextUsage() {
      const arm = routing.primary;
      return contextUsage(arm, engineOpts.systemPrompt(arm), tools.schemas(), engine.history);
    },
    compact() {
      const beforeTokens = historyTokens();
      const pathFor = engineOpts.store ? (id: string) => engineOpts.store!.pathFor(id) : undefined;
      const out = compactPreviousToolResultsCounted(engine.history, pathFor ? { pathFor } : {});
      engine.history = out.messages;
      return { beforeTokens, afterTokens: historyTokens(), compacted: out.compacted };
    },
    async close() {
      await routing.close?.();
      if (session) releaseSessionLock(session.path);
    },
  };
}
