import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { userConfigPath } from "../config/user-path.ts";
import { findInstructions } from "../context/project-docs.ts";
import { Engine, type EngineOptions } from "../engine/engine.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import { skillTool } from "../extension/skills/skill-tool.ts";
import { emptyUsage } from "../message/build.ts";
import type { Usage } from "../message/types.ts";
import { releaseSessionLock, SessionStore } from "../session/index.ts";
import { CheckpointRecorder } from "../tool/checkpoints/recorder.ts";
import { probeSandbox } from "../tool/sandbox/probe.ts";
import { loadBashGrammar } from "../tool/shell/grammar.ts";
import type { Agent, AgentOptions } from "./agent.ts";
import { contextUsage } from "./context-usage.ts";
import { CostMeter } from "./cost.ts";
import { engineOptions } from "./engine-setup.ts";
import { AgentSetupError, setupError } from "./errors.ts";
import { EventHub } from "./events.ts";
import { loadExtensions } from "./extensions.ts";
import { loadHooks, notifyingAsker } from "./hooks.ts";
import { mcpManager, mcpServerSpecs } from "./mcp.ts";
import { buildGates } from "./permission-gate.ts";
import { armPrices, usageCost } from "./prices.ts";
import { buildRouting } from "./routing.ts";
import { redactedInput, registerAgentSecrets } from "./secrets.ts";
import { ignoreOwletState, openChosenSession, readChosenSession } from "./sessions.ts";
import { runUserShell, shellNote } from "./shell.ts";
import { AGENT_TOOL, agentTool } from "./subagents/agent-tool.ts";
import { SubagentLimiter } from "./subagents/limiter.ts";
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
 * are disabled; then the extensions (plugins that pass their hash check, skills, custom commands, agent
 * definitions: see loadExtensions), the tools (built-ins, the skill tool, the agent tool), the MCP servers'
 * specs, the hooks (SessionStart runs now; its context joins the project docs), the permission gates, the
 * project docs (redacted) and the engine, its history the session's messages; last, the MCP servers are set to
 * start in the background (see serverStart).
 *
 * Throws AgentSetupError (a message for the user: bad or busy session, symlinked state directory, missing model
 * or credentials, invalid `[[arms]]`, an `[mcp_servers]` entry with neither or both of command and url, nothing
 * found, `--local-only` broken, `cwd` not a directory) or ProviderError
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
  const ext = loadExtensions(loaded, io.env, io.notify);
  const skills = ext.skills.length > 0 ? skillTool(ext.skills) : undefined;
  if (skills && (!options.toolFilter || options.toolFilter(skills))) tools.register(skills);
  // MCP servers start in the background, once the first request is under way (see serverStart): it never waits
  // for them, and on a small machine their start does not slow it either.
  const mcp = mcpManager(mcpServerSpecs(loaded, io.env, io.notify, ext.mcpServers), tools, io.env, io.notify);
  const serversGo = serverStart();
  const context = toolContext(config, cwd, io.env, options.files, options.commands);
  /** Hook runs nobody waits for (Notification, PreCompact): close() waits for them. */
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  let policyMode = () => config.permission.mode as string;
  const hooks = loadHooks(
    loaded,
    {
      projectRoot: loaded.projectRoot,
      cwd,
      env: context.childEnv ?? {},
      session: () => (session ? { id: session.id, path: session.path } : undefined),
      permissionMode: () => policyMode(),
      notify: io.notify,
    },
    io.env,
    ext.hooks,
  );
  const baseAsk = options.ask ?? io.ask;
  const ask = baseAsk ? notifyingAsker(baseAsk, hooks, track) : undefined;
  const gates = buildGates(config, ask, io.notify);
  policyMode = () => gates.policy.mode;
  // Instruction files are repository text: untrusted, redacted like any other before a model sees them.
  const docs: string[] = [];
  for (const file of findInstructions({
    projectRoot: loaded.projectRoot,
    cwd,
    userDir: dirname(userConfigPath(io.env)),
  })) {
    docs.push(`# ${file.heading}\n${await redactedInput(file.text, file.heading, io.notify)}`);
  }
  if (hooks.has("SessionStart")) {
    const started = (await hooks.run("SessionStart", { source: resumed ? "resume" : "startup" })).context;
    if (started) docs.push(await redactedInput(started, "the SessionStart hooks' context", io.notify));
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
  // The bash grammar (tree-sitter's WASM, about 30 ms) loads and the sandbox probe (a `bwrap … true` run) runs
  // while the model works on the first request, so the first bash call waits for neither (issue 10's shell-round
  // gap: 204–262 ms before, under load).
  const bash = tools.get("bash") !== undefined;
  if (mcp.size > 0 || bash) events.subscribe(serversGo.onEvent);
  if (bash)
    void serversGo.started.then(async () => {
      await loadBashGrammar().catch(() => undefined);
      if (config.sandbox.mode !== "off") await probeSandbox();
    });
  if (hooks.has("PreCompact"))
    events.subscribe((e) => {
      if (e.type === "compaction")
        track(hooks.run("PreCompact", { trigger: "auto", custom_instructions: "", reason: e.reason }));
    });
  const engineOpts: EngineOptions = {
    ...engineOptions({
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
    }),
    ...(hooks.size > 0 ? { toolMiddleware: [hooks.middleware()] } : {}),
    // The agent tool is one more step to pick from: small local arms get it only with [agents] small_local.
    ...(config.agents.small_local
      ? {}
      : { offersTool: (tool, arm, twoStage) => !(tool.name === AGENT_TOOL && twoStage && arm.local) }),
    ...(hooks.has("Stop")
      ? {
          beforeStop: async ({ again }) => (await hooks.run("Stop", { stop_hook_active: again })).block,
        }
      : {}),
  };
  const engine = new Engine(engineOpts);
  if (config.agents.enabled) {
    const agent = agentTool({
      definitions: ext.agents,
      tools,
      engine: engineOpts,
      routing: routing.policy,
      limiter: new SubagentLimiter(config.agents.max_parallel),
      ...(session ? { session } : {}),
      hooks,
    });
    // A helper agent (a tool filter: owlet init's and /init's read-only one) runs no subagents.
    if (!options.toolFilter) tools.register(agent);
  }
  // A resumed session continues from its compacted view: the latest summary, then what came after it.
  if (session) engine.history = session.view();
  else if (readOnlyHistory) engine.history = readOnlyHistory;
  const titleMode = config.session.title;
  /**
   * What the user ran with `!command` since the last prompt (already redacted, as every tool result): it travels
   * with the next prompt. Not checkpointed: `/rewind` and `owlet undo` restore what the model's tool calls changed.
   */
  const shellNotes: string[] = [];
  // Last, so nothing above can fail with servers already running.
  mcp.start(serversGo.started);

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
    mcp,
    extensions: ext,
    slashCommands: () => [...ext.commands, ...mcp.slashCommands()],
    subscribe: (listener) => events.subscribe(listener),
    async runTurn(prompt, signal) {
      serversGo.turnBegins();
      try {
        return await turn(prompt, signal);
      } finally {
        serversGo.go();
      }
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
      serversGo.go();
      if (hooks.has("SessionEnd")) await hooks.run("SessionEnd", { reason: "other" });
      await Promise.allSettled([...pending]);
      await mcp.close();
      await routing.close?.();
      if (session) releaseSessionLock(session.path);
    },
  };

  /**
   * One turn: UserPromptSubmit hooks (may refuse it or add context), the prompt redacted with the user's `!command`
   * notes before it, the session's turn record and title, then the engine's turn.
   */
  async function turn(prompt: string, signal: AbortSignal | undefined): Promise<TurnResult> {
    let submitted = prompt;
    if (hooks.has("UserPromptSubmit")) {
      const d = await hooks.run("UserPromptSubmit", { prompt }, signal ? { signal } : {});
      const refused = d.block ?? d.stop;
      if (refused !== undefined) return blockedTurn(`a UserPromptSubmit hook blocked the prompt: ${refused}`);
      if (d.context) submitted = `${prompt}\n\n${d.context}`;
    }
    const text = await redactedInput(submitted, "the prompt", io.notify);
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
        ? modelTitle(titleArm, text, signal ? AbortSignal.any([signal, stopTitle.signal]) : stopTitle.signal)
        : undefined;
    const result = await engine.runTurn(full, signal);
    // The title had the whole turn to arrive; the turn's end is not held up by more than TITLE_GRACE_MS for it.
    const title = titling
      ? await Promise.race([
          titling,
          new Promise<undefined>((r) => setTimeout(() => r(undefined), TITLE_GRACE_MS).unref()),
        ])
      : undefined;
    stopTitle.abort();
    if (title) session.setTitle(title, "model");
    return result;
  }
}

/** How long after createAgent the MCP servers start when no turn has begun (an interactive front end), ms. */
const IDLE_SERVER_START_MS = 50;
/** How long after the first round starts the MCP servers start if the model has not sent anything yet, ms. */
const REQUEST_SENT_MS = 25;

/**
 * When the MCP servers start: as soon as the first turn's first request is under way (the first engine event
 * after its round_start — the model's first token, a call, its usage — or REQUEST_SENT_MS after that round_start,
 * whichever comes first), when that turn ends, or IDLE_SERVER_START_MS after createAgent if no turn has begun by
 * then. Their processes then boot while the
 * model works, instead of competing with the request being built and sent (issue 11: ≤ 50 ms on the first
 * request; see bench/mcp-startup.ts).
 */
function serverStart() {
  let release!: () => void;
  const started = new Promise<void>((resolve) => {
    release = resolve;
  });
  let done = false;
  let requested = false;
  const go = () => {
    if (done) return;
    done = true;
    clearTimeout(idle);
    release();
  };
  const idle = setTimeout(go, IDLE_SERVER_START_MS);
  idle.unref();
  return {
    started,
    go,
    turnBegins: () => clearTimeout(idle),
    onEvent: (e: { type: string }) => {
      if (done) return;
      if (e.type === "round_start" && !requested) {
        requested = true;
        setTimeout(go, REQUEST_SENT_MS).unref();
      } else if (requested && e.type !== "compaction") go();
    },
  };
}

/** The result of a turn a hook refused before the model saw it. */
function blockedTurn(error: string): TurnResult {
  return { status: "blocked", text: "", usage: emptyUsage(), rounds: 0, messages: [], earlyStops: [], error };
}
