/**
 * One ACP session: an owlet agent (createAgent) for the session's working directory, its prompts run as turns
 * whose engine events stream to the client as `session/update` notifications, its asks as
 * `session/request_permission`, its file reads and writes through the client when the client offers them.
 */
import { randomUUID } from "node:crypto";
import type {
  AgentContext,
  ClientCapabilities,
  ContentBlock,
  PromptResponse,
  SessionUpdate,
  StopReason,
} from "@agentclientprotocol/sdk";
import type { Agent } from "../agent/agent.ts";
import { createAgent } from "../agent/create-agent.ts";
import { promptAsksForChange } from "../agent/prompt-intent.ts";
import type { SessionChoice } from "../agent/sessions.ts";
import type { FlagOverrides } from "../config/load.ts";
import { loadConfig } from "../config/load.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import type { Asker, AskRequest } from "../policy/ask.ts";
import type { CommandHost, TextFileAccess } from "../tool/types.ts";
import { ChangePlan } from "./plan.ts";
import { toolCallUpdate, toolKind, toolResultUpdate, toolTitle } from "./updates.ts";

/** How the server opens sessions: config flags, the environment, where notices go. */
export interface SessionSetup {
  flags: Partial<FlagOverrides>;
  configFile?: string;
  env: NodeJS.ProcessEnv;
  /** A notice for the user (stderr: stdout is the protocol). */
  notify: (message: string) => void;
  /** The connection to the client. */
  client: AgentContext;
  capabilities: ClientCapabilities;
}

/** Why an ACP prompt turn ended, for owlet's statuses (a turn that failed outright is an error response instead). */
function stopReasonOf(turn: TurnResult): StopReason {
  switch (turn.status) {
    case "aborted":
      return "cancelled";
    case "max_turns":
      return "max_turn_requests";
    default:
      return "end_turn";
  }
}

/** The prompt's text: text blocks, embedded text resources (with their URI) and resource links, in order. */
export function promptText(prompt: readonly ContentBlock[]): string {
  const parts: string[] = [];
  for (const block of prompt) {
    if (block.type === "text") parts.push(block.text);
    else if (block.type === "resource" && "text" in block.resource)
      parts.push(`${block.resource.uri}:\n\`\`\`\n${block.resource.text}\n\`\`\``);
    else if (block.type === "resource_link") parts.push(block.uri);
  }
  return parts.join("\n\n");
}

/** An open ACP session. */
export class AcpSession {
  readonly id: string;
  readonly agent: Agent;
  private readonly setup: SessionSetup;
  readonly cwd: string;
  private controller: AbortController | undefined;
  /** Asks waiting for the client, so a cancel can settle them. */
  private readonly asking = new Set<AbortController>();
  /** Tools the user allowed for the rest of the session ("allow always"), by tool name and summary. */
  private readonly always = new Set<string>();
  private readonly calls = new Map<string, { name: string; args: string }>();
  private plan: ChangePlan | undefined;
  /** Notifications in order: each waits for the one before it. */
  private sending: Promise<void> = Promise.resolve();

  private constructor(id: string, agent: Agent, cwd: string, setup: SessionSetup) {
    this.id = id;
    this.agent = agent;
    this.cwd = cwd;
    this.setup = setup;
    agent.subscribe((e) => this.onEvent(e));
  }

  /**
   * Opens a session in `cwd`: a new owlet session, or the stored one `choice` resumes. Throws what createAgent
   * and loadConfig throw (AgentSetupError, ConfigError, ProviderError) for the server to answer as an error.
   */
  static async open(cwd: string, choice: SessionChoice, setup: SessionSetup): Promise<AcpSession> {
    const loaded = await loadConfig({
      cwd,
      ...(setup.configFile ? { configFile: setup.configFile } : {}),
      env: setup.env,
      flags: setup.flags,
    });
    if (loaded.trust.ignored.length > 0)
      setup.notify(
        `${loaded.trust.projectFile} is in a folder you have not trusted; ignored: ${loaded.trust.ignored.join(", ")}`,
      );
    let session: AcpSession | undefined;
    const ask: Asker = (request) => (session ? session.ask(request) : Promise.resolve(false));
    const files = clientFiles(setup, () => session?.id ?? "");
    const commands = setup.capabilities.terminal
      ? clientTerminal(
          setup,
          () => session?.id ?? "",
          (u) => session?.send(u),
        )
      : undefined;
    const agent = await createAgent({
      config: loaded,
      cwd,
      io: { env: setup.env, notify: setup.notify },
      session: choice,
      pinnedArm: setup.flags.provider !== undefined || setup.flags.model !== undefined,
      ask,
      ...(files ? { files } : {}),
      ...(commands ? { commands } : {}),
    });
    session = new AcpSession(agent.session?.id ?? randomUUID(), agent, cwd, setup);
    return session;
  }

  /** Runs one prompt turn; resolves with the stop reason once every update of the turn has been sent. */
  async prompt(blocks: readonly ContentBlock[]): Promise<PromptResponse> {
    if (this.controller) throw new Error("a prompt is already running in this session");
    const text = promptText(blocks);
    const controller = new AbortController();
    this.controller = controller;
    this.plan = promptAsksForChange(text) ? new ChangePlan() : undefined;
    if (this.plan) this.send({ sessionUpdate: "plan", entries: this.plan.entries() });
    try {
      const turn = await this.agent.runTurn(text, controller.signal);
      await this.sending;
      if (
        turn.status === "provider_error" ||
        turn.status === "routing_error" ||
        turn.status === "budget_error"
      )
        throw new Error(turn.error ?? turn.status);
      if (turn.status !== "success" && turn.status !== "aborted" && turn.error)
        await this.sendNow({
          sessionUpdate: "agent_message_chunk",
          content: { type: "text", text: `\n\n[owlet: ${turn.status}] ${turn.error}` },
        });
      return {
        stopReason: controller.signal.aborted ? "cancelled" : stopReasonOf(turn),
        _meta: {
          owlet: {
            status: turn.status,
            rounds: turn.rounds,
            usage: turn.usage,
            ...(turn.error ? { error: turn.error } : {}),
          },
        },
      };
    } finally {
      this.controller = undefined;
    }
  }

  /** session/cancel: aborts the running turn and denies the asks waiting on the client. */
  cancel(): void {
    this.controller?.abort(new Error("cancelled"));
    for (const c of this.asking) c.abort();
  }

  /** Sets the permission mode (session/set_mode). Throws on an unknown mode. */
  setMode(mode: string): void {
    this.agent.policy.setMode(mode as never);
  }

  /** Sends updates without waiting (in order, after the ones before). */
  send(update: SessionUpdate): void {
    this.sending = this.sending
      .then(() => this.setup.client.notify("session/update", { sessionId: this.id, update }))
      .catch(() => {});
  }

  /** Sends an update after the ones before and waits for it. */
  async sendNow(update: SessionUpdate): Promise<void> {
    this.send(update);
    await this.sending;
  }

  private onEvent(e: EngineEvent): void {
    switch (e.type) {
      case "text_delta":
        this.send({ sessionUpdate: "agent_message_chunk", content: { type: "text", text: e.text } });
        return;
      case "reasoning_delta":
        this.send({ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: e.text } });
        return;
      case "tool_call":
        this.calls.set(e.id, { name: e.name, args: e.arguments });
        this.send(toolCallUpdate(e.id, e.name, e.arguments, this.cwd));
        return;
      case "tool_result": {
        const call = this.calls.get(e.id);
        this.send(toolResultUpdate(e.id, e.name, call?.args ?? "{}", e.output, e.isError, this.cwd));
        if (this.plan?.record(e.name, e.isError))
          this.send({ sessionUpdate: "plan", entries: this.plan.entries() });
        return;
      }
      default:
        return;
    }
  }

  /**
   * An ask as `session/request_permission`: allow once, allow always (this tool and argument, for the rest of the
   * session) or reject. A cancelled request, an error or a session cancel denies.
   */
  private async ask(request: AskRequest): Promise<boolean> {
    const key = `${request.tool}\0${request.summary}`;
    if (this.always.has(key)) return true;
    const id = request.callId ?? randomUUID();
    const abort = new AbortController();
    this.asking.add(abort);
    try {
      await this.sending;
      const input = request.args !== null && typeof request.args === "object" ? request.args : {};
      const answer = await this.setup.client.request(
        "session/request_permission",
        {
          sessionId: this.id,
          toolCall: {
            toolCallId: id,
            title: toolTitle(request.tool, input as Record<string, unknown>),
            kind: toolKind(request.tool),
            status: "pending",
            rawInput: input,
            content: [
              { type: "content", content: { type: "text", text: request.warning ?? request.reason } },
            ],
          },
          options: [
            { optionId: "allow_once", name: "Allow", kind: "allow_once" },
            { optionId: "allow_always", name: "Always allow this", kind: "allow_always" },
            { optionId: "reject_once", name: "Reject", kind: "reject_once" },
          ],
        },
        { cancellationSignal: abort.signal, stopWaitingOnCancel: true },
      );
      if (answer.outcome.outcome !== "selected") return false;
      if (answer.outcome.optionId === "allow_always") this.always.add(key);
      return answer.outcome.optionId === "allow_once" || answer.outcome.optionId === "allow_always";
    } catch {
      return false;
    } finally {
      this.asking.delete(abort);
    }
  }
}

/**
 * The client's file system for the file tools, when it offers it (clientCapabilities.fs): reads see unsaved
 * buffers, writes go to the editor. Without the capability that side stays on disk.
 */
function clientFiles(setup: SessionSetup, sessionId: () => string): TextFileAccess | undefined {
  const fs = setup.capabilities.fs;
  if (!fs?.readTextFile && !fs?.writeTextFile) return undefined;
  return {
    read: async (path) => {
      if (!fs.readTextFile) return undefined;
      const r = await setup.client.request("fs/read_text_file", { sessionId: sessionId(), path });
      return r.content;
    },
    write: async (path, content) => {
      if (!fs.writeTextFile) return false;
      await setup.client.request("fs/write_text_file", { sessionId: sessionId(), path, content });
      return true;
    },
  };
}

/**
 * The client's terminal for bash, when it offers one (clientCapabilities.terminal): terminal/create with the argv
 * owlet would spawn (the sandbox's bwrap line under `env -i`, see tool/sandbox/spawn-plan.ts commandLine), the
 * terminal attached to its tool call so the editor shows the output live, then wait_for_exit, output and
 * release; terminal/kill on timeout or cancel.
 */
function clientTerminal(
  setup: SessionSetup,
  sessionId: () => string,
  send: (update: SessionUpdate) => void,
): CommandHost {
  return {
    async run(line, opts) {
      const [command = "env", ...args] = line.argv;
      const terminal = await setup.client.createTerminal({
        sessionId: sessionId(),
        command,
        args,
        cwd: line.cwd,
        outputByteLimit: opts.maxOutputBytes,
      });
      if (opts.callId)
        send({
          sessionUpdate: "tool_call_update",
          toolCallId: opts.callId,
          status: "in_progress",
          content: [{ type: "terminal", terminalId: terminal.id }],
        });
      let timedOut = false;
      let aborted = false;
      const kill = () => void terminal.kill().catch(() => {});
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, opts.timeoutMs);
      const onAbort = () => {
        aborted = true;
        kill();
      };
      if (opts.signal.aborted) onAbort();
      else opts.signal.addEventListener("abort", onAbort, { once: true });
      try {
        const exit = await terminal.waitForExit();
        const out = await terminal.currentOutput();
        return {
          output: out.output,
          exitCode: exit.exitCode ?? null,
          signal: exit.signal ?? null,
          timedOut,
          aborted,
        };
      } finally {
        clearTimeout(timer);
        opts.signal.removeEventListener("abort", onAbort);
        await terminal.release().catch(() => {});
      }
    },
  };
}
