import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { userConfigPath } from "../config/user-path.ts";
import { findInstructions } from "../context/project-docs.ts";
import { Engine } from "../engine/engine.ts";
import type { Usage } from "../message/types.ts";
import { releaseSessionLock, SessionStore } from "../session/index.ts";
import { CheckpointRecorder } from "../tool/checkpoints/recorder.ts";
import type { Agent, AgentOptions } from "./agent.ts";
import { contextUsage } from "./context-usage.ts";
import { CostMeter } from "./cost.ts";
import { engineOptions } from "./engine-setup.ts";
import { AgentSetupError, setupError } from "./errors.ts";
import { EventHub } from "./events.ts";
import { buildGates } from "./permission-gate.ts";
import { armPrices, usageCost } from "./prices.ts";
import { buildRouting } from "./routing.ts";
import { redactedInput, registerAgentSecrets } from "./secrets.ts";
import { ignoreOwletState, openChosenSession, readChosenSession } from "./sessions.ts";
import { runUserShell, shellNote } from "./shell.ts";
import { buildSummaryArm } from "./summary-arm.ts";
import { modelTitle, promptTitle, TITLE_GRACE_MS } from "./title.ts";
import { builtinRegistry, toolContext } from "./tools.ts";
import { checkpointRepo, undoTurn } from "./undo.ts";

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
  const persist = options.persist !== false && config.session.enabled;
  const choice = options.session ?? { kind: "new" };
  // Without persistence a chosen session is only read (its view continues in memory), never locked or written.
  const resumed = persist ? openChosenSession(sessions, choice) : undefined;
  const readOnlyHistory = persist ? undefined : readChosenSession(sessions, choice);
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
  if (persist) ignoreOwletState(loaded.projectRoot);
  const summaryArm = await buildSummaryArm(config, io.env);
  const prices = await armPrices(config, [routing.primary, ...(summaryArm ? [summaryArm] : [])]);
  const session =
    resumed ??
    (persist
      ? sessions.create({
          provider: routing.primary.id.split("/")[0] ?? routing.primary.id,
          model: routing.primary.model,
          cwd,
        })
      : undefined);

  // Checkpoints: every file a tool call may change is recorded before the call, so `owlet undo` can restore it.
  let recorder: CheckpointRecorder | undefined;
  if (session && config.session.checkpoints) {
    const repo = checkpointRepo(loaded.projectRoot, realpathSync(cwd));
    if (!repo)
      io.notify(".owlet/checkpoints is a symlink: checkpoints are off (owlet undo cannot restore files)");
    else
      recorder = new CheckpointRecorder({ repo, onChange: (c) => session.appendChange(c), warn: io.notify });
  }
  const tools = builtinRegistry(options.toolFilter);
  const gates = buildGates(config, options.ask ?? io.ask, io.notify);
  // Instruction files are repository text: untrusted, redacted like any other before a model sees them.
  const docs: string[] = [];
  for (const file of findInstructions({
    projectRoot: loaded.projectRoot,
    cwd,
    userDir: dirname(userConfigPath(io.env)),
  })) {
    docs.push(`# ${file.heading}\n${await redactedInput(file.text, file.heading, io.notify)}`);
  }
  const events = new EventHub();
  // One price table for the session's usage records and the agent's running spend (costUSD, --max-budget-usd).
  const priceOf = (armId: string, usage: Usage): number | undefined => {
    const price = prices.get(armId);
    return price ? usageCost(usage, price) : undefined;
  };
  const cost = new CostMeter(priceOf);
  events.subscribe(cost.observe);
  if (options.onEvent) events.subscribe(options.onEvent);
  const context = toolContext(config, cwd, io.env, options.files, options.commands);
  const engineOpts = engineOptions({
    config,
    cwd,
    routing: routing.policy,
    tools,
    toolContext: context,
    gates,
    ...(docs.length > 0 ? { projectDocs: docs } : {}),
    ...(options.systemPrompt !== undefined ? { systemOverride: options.systemPrompt } : {}),
    ...(options.appendSystemPrompt ? { systemAppend: options.appendSystemPrompt } : {}),
    ...(options.onMessage ? { onMessage: options.onMessage } : {}),
    ...(session ? { session } : {}),
    sessionsDir: sessions.dir,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    onEvent: events.emit,
    ...(summaryArm ? { summaryArm } : {}),
    ...(recorder ? { wrapToolCall: recorder.wrap } : {}),
    ...(options.beforeCompact ? { beforeCompact: options.beforeCompact } : {}),
    priceOf,
  });
  const engine = new Engine(engineOpts);
  // A resumed session continues from its compacted view: the latest summary, then what came after it.
  if (session) engine.history = session.view();
  else if (readOnlyHistory) engine.history = readOnlyHistory;
  const titleMode = config.session.title;
  /**
   * What the user ran with `!command` since the last prompt (already redacted, as every tool result): it travels
   * with the next prompt. Not checkpointed: `/rewind` and `owlet undo` restore what the model's tool calls changed.
   */
  const shellNotes: string[] = [];

  return {
    engine,
    routing: routing.policy,
    primaryArm: routing.primary,
    tools,
    policy: gates.policy,
    gate: gates.gate,
    sessions,
    session,
    get costUSD() {
      return cost.total;
    },
    armPrice: (armId) => prices.get(armId),
    projectRoot: loaded.projectRoot,
    subscribe: (listener) => events.subscribe(listener),
    async runTurn(prompt, signal) {
      const text = await redactedInput(prompt, "the prompt", io.notify);
      const notes = shellNotes.splice(0);
      const full = notes.length > 0 ? [...notes, text].join("\n\n") : text;
      if (!session) return engine.runTurn(full, signal);
      const first = session.turns().length === 0 && !session.title();
      const number = session.beginTurn(text);
      if (recorder) recorder.turn = number;
      if (first) session.setTitle(promptTitle(text), "prompt");
      // On a cloud arm a short title is written in parallel with the first turn (`[session] title`).
      const titleArm = summaryArm ?? routing.primary;
      const stopTitle = new AbortController();
      const titling =
        first && titleMode !== "prompt" && !titleArm.local
          ? modelTitle(
              titleArm,
              text,
              signal ? AbortSignal.any([signal, stopTitle.signal]) : stopTitle.signal,
            )
          : undefined;
      const turn = await engine.runTurn(full, signal);
      // The title had the whole turn to arrive; the turn's end is not held up by more than TITLE_GRACE_MS for it.
      const title = titling
        ? await Promise.race([
            titling,
            new Promise<undefined>((r) => setTimeout(() => r(undefined), TITLE_GRACE_MS).unref()),
          ])
        : undefined;
      stopTitle.abort();
      if (title) session.setTitle(title, "model");
      return turn;
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
    async undo(turn) {
      if (!session) throw new Error("undo needs a stored session (sessions are off for this run)");
      if (!recorder) throw new Error("undo needs checkpoints, which are off ([session] checkpoints = false)");
      const result = await undoTurn(session, loaded.projectRoot, turn);
      engine.history = session.view();
      return result;
    },
    async compact(focus, signal) {
      return engine.compact({
        arm: routing.primary,
        ...(focus ? { focus } : {}),
        ...(signal ? { signal } : {}),
      });
    },
    async close() {
      await routing.close?.();
      if (session) releaseSessionLock(session.path);
    },
  };
}
