import { existsSync, statSync } from "node:fs";
import { loadProjectDocs } from "../context/system-prompt.ts";
import { Engine, type EngineOptions } from "../engine/engine.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import { skillTool } from "../extension/skills/skill-tool.ts";
import { emptyUsage } from "../message/build.ts";
import { SessionStore } from "../session/index.ts";
import type { Agent, AgentOptions } from "./agent.ts";
import { engineOptions } from "./engine-setup.ts";
import { AgentSetupError, setupError } from "./errors.ts";
import { EventHub } from "./events.ts";
import { loadExtensions } from "./extensions.ts";
import { loadHooks, notifyingAsker } from "./hooks.ts";
import { mcpManager, mcpServerSpecs } from "./mcp.ts";
import { buildGates } from "./permission-gate.ts";
import { buildRouting } from "./routing.ts";
import { redactedInput, registerAgentSecrets } from "./secrets.ts";
import { ignoreOwletState, openChosenSession } from "./sessions.ts";
import { AGENT_TOOL, agentTool } from "./subagents/agent-tool.ts";
import { SubagentLimiter } from "./subagents/limiter.ts";
import { builtinRegistry, toolContext } from "./tools.ts";

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
  const resumed = openChosenSession(sessions, options.session ?? { kind: "new" });
  const routing = await buildRouting({
    config,
    cwd,
    env: io.env,
    localOnly: options.localOnly === true || config.router.local_only === true,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    pinned: options.pinnedArm === true,
    notify: io.notify,
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
  const ext = loadExtensions(loaded, io.env, io.notify);
  if (ext.skills.length > 0) tools.register(skillTool(ext.skills));
  // MCP servers start in the background, once the first request is under way (see serverStart): it never waits
  // for them, and on a small machine their start does not slow it either.
  const mcp = mcpManager(mcpServerSpecs(loaded, io.env, io.notify, ext.mcpServers), tools, io.env, io.notify);
  const serversGo = serverStart();
  const context = toolContext(config, cwd, io.env);
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
  const ask = io.ask ? notifyingAsker(io.ask, hooks, track) : undefined;
  const gates = buildGates(config, ask, io.notify);
  policyMode = () => gates.policy.mode;
  const rawDocs = [
    loadProjectDocs(loaded.projectRoot),
    hooks.has("SessionStart")
      ? (await hooks.run("SessionStart", { source: resumed ? "resume" : "startup" })).context
      : undefined,
  ]
    .filter((d) => d)
    .join("\n\n");
  const docs = rawDocs ? await redactedInput(rawDocs, "the project docs", io.notify) : undefined;
  const events = new EventHub();
  if (options.onEvent) events.subscribe(options.onEvent);
  if (mcp.size > 0) events.subscribe(serversGo.onEvent);
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
      ...(docs ? { projectDocs: docs } : {}),
      ...(options.systemPrompt !== undefined ? { systemOverride: options.systemPrompt } : {}),
      ...(session ? { session } : {}),
      sessionsDir: sessions.dir,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      onEvent: events.emit,
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
  if (config.agents.enabled)
    tools.register(
      agentTool({
        definitions: ext.agents,
        tools,
        engine: engineOpts,
        routing: routing.policy,
        limiter: new SubagentLimiter(config.agents.max_parallel),
        ...(session ? { session } : {}),
        hooks,
      }),
    );
  if (session) engine.history = session.messages();
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
    async close() {
      serversGo.go();
      if (hooks.has("SessionEnd")) await hooks.run("SessionEnd", { reason: "other" });
      await Promise.allSettled([...pending]);
      await mcp.close();
      await routing.close?.();
    },
  };

  async function turn(prompt: string, signal: AbortSignal | undefined): Promise<TurnResult> {
    let text = prompt;
    if (hooks.has("UserPromptSubmit")) {
      const d = await hooks.run("UserPromptSubmit", { prompt }, signal ? { signal } : {});
      const refused = d.block ?? d.stop;
      if (refused !== undefined) return blockedTurn(`a UserPromptSubmit hook blocked the prompt: ${refused}`);
      if (d.context) text = `${prompt}\n\n${d.context}`;
    }
    return engine.runTurn(await redactedInput(text, "the prompt", io.notify), signal);
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
