/**
 * The interactive session's state and behaviour, apart from React: the transcript, the turn under way, the
 * permission question being asked, the status line's figures; prompts, slash commands and `!commands` go in here,
 * the agent's events come in here. Components read snapshots (`subscribe`/`getSnapshot`, for useSyncExternalStore)
 * and call its methods; tests drive it the same way.
 */
import type { Agent, AgentIO, AgentProgress } from "../agent/agent.ts";
import type { SessionChoice } from "../agent/sessions.ts";
import { isSummaryMessage, summaryTextOf } from "../context/summary.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import { addUsage, emptyUsage, isToolResultsMessage, textOf, toolCallsOf } from "../message/build.ts";
import type { Message, Usage } from "../message/types.ts";
import type { AskAnswer, AskRequest, PermissionMode } from "../policy/index.ts";
import type { Tool } from "../tool/types.ts";
import { ExtensionCommandSync } from "./commands/extension-commands.ts";
import type { CommandRegistry } from "./commands/registry.ts";
import { parseSlashLine } from "./commands/registry.ts";
import type { AgentChange, CommandHost, PickItem, SlashCommand, Tone } from "./commands/types.ts";
import { PromptHistory } from "./input/history.ts";
import { expandMentions } from "./input/mentions.ts";
import { editDiff } from "./render/edit-diff.ts";
import { formatSeconds, formatTokens } from "./render/format.ts";
import { type Entry, splitCompleteMarkdown, type ToolEntry } from "./transcript.ts";

/** Everything the UI needs from its host (the CLI): how to build an agent, where things are, what to start with. */
export interface UiLaunch {
  /** Absolute workspace directory. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** owlet's version, for the banner. */
  version: string;
  /**
   * Builds an agent for `change` on top of what the command line asked for (the host remembers the arm a change
   * picked, so a later `/clear` keeps it). Throws the agent's setup errors (shown to the user).
   */
  createAgent(change: AgentChange, io: AgentIO): Promise<Agent>;
  /** The conversation to open first (`--continue`, `--resume`); default a new one. */
  session?: SessionChoice;
  /** A prompt to send as soon as the agent is ready (`owlet "prompt"` on a terminal). */
  initialPrompt?: string;
  /** The prompt history file (shared by every session); undefined: history in memory only. */
  historyFile?: string;
  /** USD per 1M prompt/completion tokens of an arm, when known (the agent's price table: `[[arms]]`, the catalogue). */
  priceOf?(armId: string): { input: number; output: number } | undefined;
  /** Notices to show first (e.g. the untrusted-project warning). */
  notices?: string[];
  /**
   * What must succeed before the first agent is built (the host's config loading), resolving to notices to show
   * (e.g. the untrusted-project warning). A rejection ends the UI: runInteractive rethrows it after closing.
   */
  ready?: Promise<string[]>;
  commands: CommandRegistry;
}

/** What the model is doing, for the activity line. */
export type Phase = "setup" | "idle" | "waiting" | "reading" | "writing" | "tools" | "shell" | "summarising";

/** A permission question on screen. */
export interface PendingAsk {
  request: AskRequest;
}

/** A picker on screen (`/resume`). */
export interface PendingPick {
  title: string;
  items: PickItem[];
}

/** The figures of the status line. */
export interface StatusInfo {
  arm?: string;
  model?: string;
  mode?: PermissionMode;
  twoStage?: boolean;
  /** Tokens of the last request's prompt (measured, else the provider's count). */
  contextTokens?: number;
  contextWindow?: number;
  usage: Usage;
  costUsd?: number;
}

/** One immutable view of the UI's state. */
export interface UiSnapshot {
  /** Finished entries, printed once (Ink's Static), oldest first. */
  done: Entry[];
  /** Entries of the turn under way (tool calls not yet settled). */
  live: ToolEntry[];
  /** Assistant text streaming in and not yet printed for good. */
  streaming: string;
  /** Whether `streaming` goes on from an answer chunk already printed. */
  streamingContinued: boolean;
  /** The tail of the model's reasoning while it thinks. */
  reasoning: string;
  phase: Phase;
  busy: boolean;
  /** When the current phase started (ms since the epoch), and when the first output token of the round came. */
  phaseStartedAt: number;
  firstTokenAt?: number;
  /** Output characters of the current round (for tokens/s, ≈ chars/4). */
  roundChars: number;
  ask?: PendingAsk;
  pick?: PendingPick;
  progress?: AgentProgress;
  status: StatusInfo;
  /** Prompts typed while a turn ran, sent in order after it. */
  queued: string[];
  /** Bumped by /clear so the view drops what it printed. */
  screen: number;
  exiting: boolean;
}

/** The longest text of a resumed user prompt shown, chars. */
const REPLAY_PROMPT_CHARS = 600;
/** Output of a tool kept per entry for the expanded view, chars. */
const KEPT_OUTPUT_CHARS = 20_000;

/** The permission modes Shift+Tab steps through, in order (bypass joins when the session started in it). */
const MODE_CYCLE: PermissionMode[] = ["auto", "accept_edits", "plan", "default"];

/** The controller of one interactive session (see the file comment). */
export class UiController implements CommandHost {
  private snapshot: UiSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly launch: UiLaunch;
  private nextId = 1;
  private current: Agent | undefined;
  /** The current agent's slash commands kept in the registry (created on first use). */
  private extensionCommands: ExtensionCommandSync | undefined;
  private unsubscribe: (() => void) | undefined;
  private turnAbort: AbortController | undefined;
  private readonly askQueue: { request: AskRequest; resolve: (a: AskAnswer) => void }[] = [];
  private pickHandler: ((value: string) => void) | undefined;
  private pendingText = "";
  private textTimer: NodeJS.Timeout | undefined;
  private cycle: PermissionMode[] = MODE_CYCLE;
  private lastTools: ToolEntry[] = [];
  private quitHandler: (() => void) | undefined;
  private clearHandler: (() => void) | undefined;
  readonly history: PromptHistory;

  constructor(launch: UiLaunch) {
    this.launch = launch;
    this.history = new PromptHistory(launch.historyFile);
    this.snapshot = {
      done: [],
      live: [],
      streaming: "",
      streamingContinued: false,
      reasoning: "",
      phase: "setup",
      busy: false,
      phaseStartedAt: Date.now(),
      roundChars: 0,
      status: { usage: emptyUsage() },
      queued: [],
      screen: 0,
      exiting: false,
    };
    this.add({
      kind: "banner",
      lines: [`owlet ${launch.version}`, launch.cwd, "/help for commands · Shift+Tab: mode · Esc: interrupt"],
    });
    for (const n of launch.notices ?? []) this.add({ kind: "notice", text: n, tone: "warn" });
  }

  // ── store ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Adds a listener called after every change; returns the function that removes it. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current snapshot (a new object after every change). */
  readonly getSnapshot = (): UiSnapshot => this.snapshot;

  private set(patch: Partial<UiSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of [...this.listeners]) l();
  }

  private add(entry: DistributiveOmit<Entry, "id">): void {
    this.set({ done: [...this.snapshot.done, { ...entry, id: this.nextId++ } as Entry] });
  }

  // ── CommandHost ──────────────────────────────────────────────────────────────────────────────────────────

  get agent(): Agent | undefined {
    return this.current;
  }

  get cwd(): string {
    return this.launch.cwd;
  }

  get commands(): readonly SlashCommand[] {
    return this.withAgentCommands().all();
  }

  /** The command registry (completion reads it), the agent's custom commands, MCP prompts and skills in it. */
  get registry(): CommandRegistry {
    return this.withAgentCommands();
  }

  /** The registry with the current agent's slash commands synced into it (see ExtensionCommandSync). */
  private withAgentCommands(): CommandRegistry {
    this.extensionCommands ??= new ExtensionCommandSync(this.launch.commands);
    this.extensionCommands.sync(this.current?.slashCommands() ?? []);
    return this.launch.commands;
  }

  say(text: string, tone: Tone = "info"): void {
    this.add({ kind: "notice", text, tone });
  }

  setMode(mode: PermissionMode): void {
    if (!this.current) return;
    this.current.policy.setMode(mode);
    this.set({ status: { ...this.snapshot.status, mode } });
  }

  /** Shift+Tab: the next permission mode of the cycle (see MODE_CYCLE). */
  cycleMode(): void {
    const mode = this.current?.policy.mode;
    if (!mode) return;
    const at = this.cycle.indexOf(mode);
    this.setMode(this.cycle[(at + 1) % this.cycle.length] ?? "auto");
  }

  async rebuild(change: AgentChange): Promise<boolean> {
    if (this.snapshot.busy) {
      this.say("a turn is running: wait for it, or press Esc first", "warn");
      return false;
    }
    const old = this.current;
    const previous = old?.session?.id;
    // What the user set in this session carries over: the mode, and the rules added after the configured ones.
    const mode = old?.policy.mode;
    const rules = old?.policy.rules ?? [];
    await this.dropAgent();
    const carryOver = () => {
      const policy = this.current?.policy;
      if (!policy) return;
      for (const rule of rules.slice(policy.rules.length)) policy.addRule(rule);
      if (mode && mode !== policy.mode) this.setMode(mode);
    };
    try {
      // The same conversation under another arm is a continuation, not a resume: nothing to show again.
      const continues = change.session?.kind === "resume" && change.session.id === previous;
      await this.connect(change, !continues);
      carryOver();
      return true;
    } catch (err) {
      this.say(errorText(err), "error");
      if (previous) {
        try {
          await this.connect({ session: { kind: "resume", id: previous } }, false);
          carryOver();
        } catch (again) {
          this.say(errorText(again), "error");
        }
      }
      return false;
    }
  }

  clearScreen(): void {
    this.lastTools = [];
    this.clearHandler?.();
    this.set({ done: [], screen: this.snapshot.screen + 1 });
  }

  quit(): void {
    this.interrupt();
    this.set({ exiting: true });
    this.quitHandler?.();
  }

  /** Sets what clearScreen() calls to clear the terminal itself (its scrollback holds what was printed). */
  onClear(handler: () => void): void {
    this.clearHandler = handler;
  }

  /** Sets what quit() calls after marking the snapshot (the app unmounts). */
  onQuit(handler: () => void): void {
    this.quitHandler = handler;
  }

  sendPrompt(prompt: string, display?: string): void {
    // Typed while a turn runs, or before the first agent is ready: sent in order afterwards.
    if (this.snapshot.busy || (this.snapshot.phase === "setup" && !this.current)) {
      this.set({ queued: [...this.snapshot.queued, prompt] });
      return;
    }
    void this.runTurn(prompt, display ?? prompt);
  }

  pick(title: string, items: PickItem[], onPick: (value: string) => void): void {
    this.pickHandler = onPick;
    this.set({ pick: { title, items } });
  }

  /** The user chose `value` in the picker (undefined: closed it). */
  picked(value: string | undefined): void {
    const handler = this.pickHandler;
    this.pickHandler = undefined;
    this.set({ pick: undefined });
    if (value !== undefined) handler?.(value);
  }

  totals(): { usage: Usage; costUsd?: number } {
    const { usage, costUsd } = this.snapshot.status;
    return costUsd !== undefined ? { usage, costUsd } : { usage };
  }

  async busy<T>(phase: Phase, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.snapshot.busy) throw new Error("a turn is running: wait for it, or press Esc first");
    const abort = new AbortController();
    this.turnAbort = abort;
    this.set({ busy: true, phase, phaseStartedAt: Date.now(), roundChars: 0 });
    try {
      return await work(abort.signal);
    } finally {
      this.turnAbort = undefined;
      this.flushText(true);
      this.flushLive();
      this.set({ busy: false, phase: "idle", phaseStartedAt: Date.now(), reasoning: "" });
      this.drainQueue();
    }
  }

  withHelperAgent<T>(
    toolFilter: (tool: Tool) => boolean,
    work: (agent: Agent, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.busy("setup", async (signal) => {
      const helper = await this.launch.createAgent({ helper: { toolFilter } }, this.io());
      const off = helper.subscribe((e) => this.onEvent(e));
      try {
        this.set({ phase: "waiting", phaseStartedAt: Date.now() });
        return await work(helper, signal);
      } finally {
        off();
        await helper.close().catch(() => {});
      }
    });
  }

  redraw(): void {
    this.clearScreen();
    if (this.current) this.replay(this.current.engine.history);
  }

  // ── start and stop ───────────────────────────────────────────────────────────────────────────────────────

  /**
   * Waits for the launch's `ready` (a rejection is returned, for the host to report: the UI should close), then
   * builds the first agent (the launch's session; a failure is shown in the transcript), then sends the initial
   * prompt, if any.
   */
  async start(): Promise<unknown> {
    try {
      for (const n of (await this.launch.ready) ?? []) this.say(n, "warn");
    } catch (err) {
      return err;
    }
    try {
      await this.connect(this.launch.session ? { session: this.launch.session } : {});
    } catch (err) {
      this.say(errorText(err), "error");
      this.set({ phase: "idle" });
      this.drainQueue();
      return undefined;
    }
    if (this.launch.initialPrompt) this.set({ queued: [this.launch.initialPrompt, ...this.snapshot.queued] });
    this.drainQueue();
    return undefined;
  }

  /** Interrupts what runs, closes the agent (router state saved, session lock released). */
  async close(): Promise<void> {
    this.interrupt();
    await this.dropAgent();
  }

  private async connect(change: AgentChange, announce = true): Promise<void> {
    this.set({ phase: "setup", phaseStartedAt: Date.now() });
    const agent = await this.launch.createAgent(change, this.io());
    this.current = agent;
    this.unsubscribe = agent.subscribe((e) => this.onEvent(e));
    const mode = agent.policy.mode;
    this.cycle = MODE_CYCLE.includes(mode) ? MODE_CYCLE : [...MODE_CYCLE, mode];
    const arm = agent.primaryArm;
    const usage = agent.session?.usage() ?? emptyUsage();
    this.set({
      phase: "idle",
      phaseStartedAt: Date.now(),
      status: {
        arm: arm.id,
        model: arm.model,
        mode,
        usage,
        ...this.costOf(arm.id, usage),
        ...(arm.contextWindow !== undefined ? { contextWindow: arm.contextWindow } : {}),
      },
    });
    const resumed = change.session?.kind === "resume" || change.session?.kind === "latest";
    if (resumed && agent.session && announce) {
      this.replay(agent.engine.history);
      this.say(`resumed session ${agent.session.id} (${agent.engine.history.length} messages)`, "dim");
    }
    if (change.model || change.provider) this.say(`now using ${arm.id}`, "dim");
  }

  private async dropAgent(): Promise<void> {
    const agent = this.current;
    this.current = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (agent) await agent.close().catch(() => {});
  }

  /** The agent's view of this UI: questions on screen, notices in the transcript, progress as a bar. */
  private io(): AgentIO {
    return {
      env: this.launch.env,
      ask: (request) =>
        new Promise<AskAnswer>((resolve) => {
          this.askQueue.push({ request, resolve });
          if (!this.snapshot.ask) this.set({ ask: { request } });
        }),
      notify: (message) => this.say(message, "dim"),
      progress: (update) => this.set({ progress: update.finished ? undefined : update }),
    };
  }

  // ── input ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * One submitted line: `/command args`, `!shell command`, or a prompt (its `@path` mentions attached). Added to
   * the history. A prompt typed while a turn runs is queued.
   */
  submit(line: string): void {
    const text = line.replace(/\s+$/, "");
    if (!text.trim()) return;
    this.history.add(text);
    const slash = parseSlashLine(text);
    if (slash) {
      void this.runCommand(slash.name, slash.args);
      return;
    }
    if (text.startsWith("!")) {
      void this.runShell(text.slice(1).trim());
      return;
    }
    this.sendPrompt(text);
  }

  private async runCommand(name: string, args: string): Promise<void> {
    const command = this.withAgentCommands().find(name);
    if (!command) {
      this.say(`unknown command /${name}; /help lists them`, "error");
      return;
    }
    if (this.snapshot.busy && !command.whileBusy) {
      this.say(`/${command.name} waits for the turn: press Esc to interrupt it first`, "warn");
      return;
    }
    try {
      await command.run(this, args);
    } catch (err) {
      this.say(`/${command.name}: ${errorText(err)}`, "error");
    }
  }

  private async runShell(command: string): Promise<void> {
    const agent = this.current;
    if (!command) {
      this.say("type a command after !, e.g. !git status", "warn");
      return;
    }
    if (!agent) {
      this.say("no agent yet: the shell runs through the agent's sandbox and permission gate", "warn");
      return;
    }
    if (this.snapshot.busy) {
      this.say("a turn is running: wait for it, or press Esc first", "warn");
      return;
    }
    const abort = new AbortController();
    this.turnAbort = abort;
    this.set({ busy: true, phase: "shell", phaseStartedAt: Date.now() });
    try {
      const run = await agent.runShell(command, abort.signal);
      this.flushLive();
      this.say(
        run.denied ? "not run (permission denied)" : "the output goes to the model with your next prompt",
        "dim",
      );
    } finally {
      this.turnAbort = undefined;
      this.set({ busy: false, phase: "idle", phaseStartedAt: Date.now() });
      this.drainQueue();
    }
  }

  private async runTurn(prompt: string, display: string): Promise<void> {
    const agent = this.current;
    this.add({ kind: "user", text: display });
    if (!agent) {
      this.say("no model is connected (see above); /model or /provider picks one", "error");
      return;
    }
    const expanded = expandMentions(prompt, this.launch.cwd);
    if (expanded.attached.length > 0) this.say(`attached ${expanded.attached.join(", ")}`, "dim");
    for (const s of expanded.skipped) this.say(`not attached: ${s.path}: ${s.reason}`, "warn");
    const abort = new AbortController();
    this.turnAbort = abort;
    const started = Date.now();
    this.set({ busy: true, phase: "waiting", phaseStartedAt: started, roundChars: 0 });
    let result: TurnResult | undefined;
    try {
      result = await agent.runTurn(expanded.prompt, abort.signal);
    } catch (err) {
      this.say(errorText(err), "error");
    } finally {
      this.turnAbort = undefined;
      this.flushText(true);
      this.flushLive();
      this.set({ busy: false, phase: "idle", phaseStartedAt: Date.now(), reasoning: "" });
    }
    if (result) this.add(turnEntry(result, Date.now() - started));
    this.drainQueue();
  }

  private drainQueue(): void {
    const [next, ...rest] = this.snapshot.queued;
    if (next === undefined || this.snapshot.exiting) return;
    this.set({ queued: rest });
    this.sendPrompt(next);
  }

  /** Esc: interrupts the turn or shell command under way (its permission questions are denied); keeps the conversation. */
  interrupt(): boolean {
    const running = this.turnAbort !== undefined;
    for (const q of this.askQueue.splice(0)) q.resolve({ allow: false, note: "interrupted by the user" });
    if (this.snapshot.ask) this.set({ ask: undefined });
    this.turnAbort?.abort(new Error("interrupted"));
    this.set({ queued: [] });
    return running;
  }

  /** The answer to the permission question on screen. */
  answer(answer: AskAnswer): void {
    const head = this.askQueue.shift();
    head?.resolve(answer);
    const next = this.askQueue[0];
    this.set({ ask: next ? { request: next.request } : undefined });
  }

  /** Ctrl+O: prints the last tool results whole (the transcript shows them as one line each). */
  expandLastTools(): void {
    const tools = [...this.snapshot.live, ...this.lastTools];
    if (tools.length === 0) {
      this.say("no tool results yet", "dim");
      return;
    }
    for (const t of tools) {
      this.say(`${t.name} ${shortArgs(t.args)}\n${t.output ?? "(still running)"}`, "dim");
    }
  }

  // ── engine events ────────────────────────────────────────────────────────────────────────────────────────

  private onEvent(e: EngineEvent): void {
    switch (e.type) {
      case "routing":
        this.set({
          status: {
            ...this.snapshot.status,
            arm: e.arm,
            model: e.model,
            twoStage: e.twoStage,
            ...(this.current?.primaryArm.id === e.arm && this.current.primaryArm.contextWindow !== undefined
              ? { contextWindow: this.current.primaryArm.contextWindow }
              : {}),
          },
        });
        return;
      case "round_start":
        this.flushText(true);
        this.flushLive();
        this.set({
          phase: "reading",
          phaseStartedAt: Date.now(),
          firstTokenAt: undefined,
          roundChars: 0,
          reasoning: "",
          ...(e.promptTokens
            ? { status: { ...this.snapshot.status, contextTokens: e.promptTokens.total } }
            : {}),
        });
        return;
      case "text_delta":
        this.pendingText += e.text;
        if (this.snapshot.phase !== "writing" || this.snapshot.firstTokenAt === undefined)
          this.set({ phase: "writing", firstTokenAt: Date.now(), phaseStartedAt: Date.now() });
        // Deltas are coalesced: one state change per ~30 ms, whatever the model's token rate.
        this.textTimer ??= setTimeout(() => this.flushText(false), 30);
        return;
      case "reasoning_delta": {
        const reasoning = (this.snapshot.reasoning + e.text).slice(-400);
        this.set({
          reasoning,
          roundChars: this.snapshot.roundChars + e.text.length,
          ...(this.snapshot.firstTokenAt === undefined ? { firstTokenAt: Date.now(), phase: "writing" } : {}),
        });
        return;
      }
      case "tool_call": {
        this.flushText(true);
        if (e.name === "select_category") return;
        const entry: ToolEntry = {
          id: this.nextId++,
          kind: "tool",
          callId: e.id,
          name: e.name,
          args: e.arguments,
          state: "running",
          ...(e.id.startsWith("user_shell_") ? { user: true } : {}),
        };
        const diff = editDiff(e.name, e.arguments, this.launch.cwd);
        if (diff) entry.diff = diff;
        this.set({ live: [...this.snapshot.live, entry], phase: "tools", phaseStartedAt: Date.now() });
        return;
      }
      case "tool_result":
        this.settleTool(e.id, (t) => ({
          ...t,
          state: t.state === "denied" ? "denied" : e.isError ? "error" : "ok",
          output: e.output.slice(0, KEPT_OUTPUT_CHARS),
        }));
        return;
      case "permission_denied":
        this.settleTool(e.id, (t) => ({ ...t, state: "denied" }));
        return;
      case "usage": {
        const usage = addUsage(this.snapshot.status.usage, e.usage);
        const arm = this.snapshot.status.arm;
        this.set({
          status: {
            ...this.snapshot.status,
            usage,
            ...(this.snapshot.status.contextTokens === undefined || e.usage.inputTokens > 0
              ? { contextTokens: e.usage.inputTokens + e.usage.outputTokens }
              : {}),
            ...(arm ? this.costOf(arm, usage) : {}),
          },
        });
        return;
      }
      case "early_stop":
        this.say(`${e.detector.replace(/_/g, " ")}: ${e.reason}`, "warn");
        return;
      case "failover":
        this.say(`${e.from} failed (${e.reason}); going on with ${e.to}`, "warn");
        return;
      case "retry":
        this.say(`retrying in ${formatSeconds(e.delayMs)} (attempt ${e.attempt}): ${e.reason}`, "warn");
        return;
      case "compaction":
        this.say(
          `context compacted (${e.reason}): ${e.droppedMessages} messages dropped, ${e.compactedResults} results shortened`,
          "dim",
        );
        return;
      case "warning":
        this.say(e.message, "warn");
        return;
    }
  }

  private settleTool(callId: string, change: (t: ToolEntry) => ToolEntry): void {
    const live = this.snapshot.live.map((t) => (t.callId === callId ? change(t) : t));
    this.set({ live });
    if (live.every((t) => t.state !== "running")) this.flushLive();
  }

  /** Moves settled tool entries to the printed transcript, in call order. */
  private flushLive(): void {
    const live = this.snapshot.live;
    if (live.length === 0) return;
    this.lastTools = live;
    this.set({ live: [], done: [...this.snapshot.done, ...live] });
  }

  /**
   * Moves streamed text into the snapshot; with `all`, everything becomes a printed entry (the round's text
   * ended), else only whole paragraphs do (see splitCompleteMarkdown) and the rest stays live.
   */
  private flushText(all: boolean): void {
    clearTimeout(this.textTimer);
    this.textTimer = undefined;
    const chars = this.pendingText.length;
    let streaming = this.snapshot.streaming + this.pendingText;
    this.pendingText = "";
    let continued = this.snapshot.streamingContinued;
    const done = [...this.snapshot.done];
    const [complete, rest] = all ? [streaming, ""] : splitCompleteMarkdown(streaming);
    if (complete.trim()) {
      done.push({ id: this.nextId++, kind: "assistant", text: complete.trim(), continued });
      continued = !all;
      streaming = rest;
    } else if (all) {
      streaming = "";
      continued = false;
    }
    if (all) continued = false;
    this.set({
      done,
      streaming,
      streamingContinued: continued,
      roundChars: this.snapshot.roundChars + chars,
    });
  }

  /** Shows a resumed conversation: prompts, answers and tool calls (one line each). */
  private replay(history: readonly Message[]): void {
    const results = new Map<string, { content: string; isError: boolean }>();
    for (const m of history)
      for (const b of m.content)
        if (b.type === "tool_result") results.set(b.toolCallId, { content: b.content, isError: b.isError });
    const entries: Entry[] = [];
    for (const m of history) {
      if (isSummaryMessage(m)) {
        const text = summaryTextOf(m) ?? "";
        entries.push({
          id: this.nextId++,
          kind: "notice",
          tone: "dim",
          text: `[summary of the earlier conversation]\n${text.length > REPLAY_PROMPT_CHARS ? `${text.slice(0, REPLAY_PROMPT_CHARS)}…` : text}`,
        });
      } else if (m.role === "user" && !isToolResultsMessage(m)) {
        const text = textOf(m);
        entries.push({
          id: this.nextId++,
          kind: "user",
          text: text.length > REPLAY_PROMPT_CHARS ? `${text.slice(0, REPLAY_PROMPT_CHARS)}…` : text,
        });
      } else if (m.role === "assistant") {
        const text = textOf(m).trim();
        if (text) entries.push({ id: this.nextId++, kind: "assistant", text, continued: false });
        for (const call of toolCallsOf(m)) {
          if (call.name === "select_category") continue;
          const r = results.get(call.id);
          entries.push({
            id: this.nextId++,
            kind: "tool",
            callId: call.id,
            name: call.name,
            args: call.arguments,
            state: r ? (r.isError ? "error" : "ok") : "error",
            output: r?.content.slice(0, KEPT_OUTPUT_CHARS) ?? "(no result)",
          });
        }
      }
    }
    this.set({ done: [...this.snapshot.done, ...entries] });
  }

  private costOf(armId: string, usage: Usage): { costUsd?: number } {
    const price = this.launch.priceOf?.(armId);
    if (!price) return {};
    return { costUsd: (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1e6 };
  }
}

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The line that ends a turn: `✓ 3 rounds · 1.2k tokens · 4.1 s`, or what went wrong. */
function turnEntry(
  result: TurnResult,
  elapsedMs: number,
): Omit<Extract<Entry, { kind: "turn" }>, "id"> & {
  id: number;
} {
  const tokens = result.usage.inputTokens + result.usage.outputTokens;
  const facts = `${result.rounds} round${result.rounds === 1 ? "" : "s"} · ${formatTokens(tokens)} tokens · ${formatSeconds(elapsedMs)}`;
  if (result.status === "success") return { id: 0, kind: "turn", ok: true, text: facts };
  if (result.status === "aborted")
    return { id: 0, kind: "turn", ok: false, text: `interrupted · the conversation is kept · ${facts}` };
  const why = result.error ? `: ${result.error}` : "";
  return { id: 0, kind: "turn", ok: false, text: `${result.status.replace(/_/g, " ")}${why} · ${facts}` };
}

/** The arguments of a call, shortened for one line. */
export function shortArgs(args: string): string {
  let text = args;
  try {
    const parsed = JSON.parse(args) as Record<string, unknown>;
    const main = parsed.command ?? parsed.path ?? parsed.pattern;
    text = typeof main === "string" ? main : JSON.stringify(parsed);
  } catch {
    // raw text as is
  }
  text = text.replace(/\s+/g, " ").trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const hint = (err as { hint?: unknown }).hint;
    return typeof hint === "string" && hint ? `${err.message}\nhint: ${hint}` : err.message;
  }
  return String(err);
}
