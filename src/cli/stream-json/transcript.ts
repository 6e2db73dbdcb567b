/**
 * owlet's turn as Claude Code's print-mode messages: the agent's engine events and history messages in, the
 * lines Claude Code would print out (system/init, assistant and user messages with content blocks, stream_event
 * lines with `--include-partial-messages`, owlet's own events as `system` subtypes, and the `result`).
 */
import { randomUUID } from "node:crypto";
import type { EngineEvent } from "../../engine/events.ts";
import type { TurnResult } from "../../engine/turn-result.ts";
import type { ContentBlock, Message, StopReason, Usage } from "../../message/types.ts";
import { resultLine, type TurnTiming } from "./result.ts";
import { type WireBlock, type WireLine, type WireModelUsage, wireUsage } from "./wire.ts";

/** What the transcript needs to know about the run. */
export interface TranscriptOptions {
  sessionId: string;
  /** Emit `stream_event` lines (Anthropic stream events) as the model streams (--include-partial-messages). */
  partial: boolean;
  /** Also emit `system`/`usage` lines per round (--verbose). */
  verbose: boolean;
  /** Where lines go, in order. */
  emit: (line: WireLine) => void;
  /** The context window of a model (tokens), for `modelUsage`; undefined when not known. */
  contextWindow?: (model: string) => number | undefined;
}

/** Per-turn bookkeeping of the round being streamed. */
interface OpenRound {
  messageId: string;
  model: string;
  startedAt: number;
  /** Index and kind of the content block being streamed (partial mode). */
  block?: { index: number; kind: "text" | "thinking" };
  nextIndex: number;
  /** Prompt tokens as measured before the request (0 when not measured). */
  promptTokens: number;
  /** Partial mode: message_start was sent. */
  started?: boolean;
  ended?: { usage: Usage; stopReason?: StopReason };
}

/** A tool call's arguments as the `input` object of a tool_use block (unparsable text kept as `{ raw }`). */
function toolInput(args: string): unknown {
  try {
    const v = JSON.parse(args);
    return v !== null && typeof v === "object" ? v : { value: v };
  } catch {
    return { raw: args };
  }
}

function wireBlock(block: ContentBlock): WireBlock | undefined {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "reasoning":
      return { type: "thinking", thinking: block.text, signature: "" };
    case "tool_call":
      return { type: "tool_use", id: block.id, name: block.name, input: toolInput(block.arguments) };
    case "tool_result":
      return {
        type: "tool_result",
        tool_use_id: block.toolCallId,
        content: block.content,
        ...(block.isError ? { is_error: true } : {}),
      };
    default:
      return undefined;
  }
}

/**
 * Turns one agent's events and messages into Claude Code lines. Call {@link init} once, then per turn
 * {@link beginTurn}, feed {@link event} and {@link message} as the agent produces them, and {@link result}.
 * Totals (cost, modelUsage) run across turns, as in Claude Code's multi-turn sessions.
 */
export class ClaudeTranscript {
  private readonly opts: TranscriptOptions;
  private round: OpenRound | undefined;
  private model = "";
  private skipPrompt = false;
  private readonly denied = new Set<string>();
  private turnStarted = 0;
  private apiMs = 0;
  private ttftMs: number | undefined;
  private lastStop: StopReason | undefined;
  private results = 0;
  private readonly modelUsage: Record<string, WireModelUsage> = {};
  private turnModelUsage: Record<string, WireModelUsage> = {};

  constructor(opts: TranscriptOptions) {
    this.opts = opts;
  }

  /** The system/init line: session, workspace, model, tools and permission mode (Claude Code's names). */
  init(info: { cwd: string; model: string; tools: string[]; permissionMode: string; version: string }): void {
    this.model = info.model;
    this.line({
      type: "system",
      subtype: "init",
      cwd: info.cwd,
      tools: info.tools,
      mcp_servers: [],
      model: info.model,
      permissionMode: info.permissionMode,
      slash_commands: [],
      apiKeySource: "none",
      claude_code_version: info.version,
      output_style: "default",
      agents: [],
      skills: [],
      plugins: [],
      capabilities: [],
      analytics_disabled: true,
      product_feedback_disabled: true,
      original_cwd: info.cwd,
      additional_directories: [],
      view_mode: "default",
    });
  }

  /** A new turn starts (its prompt, the first user text message, is not echoed, as in Claude Code). */
  beginTurn(): void {
    this.skipPrompt = true;
    this.turnStarted = performance.now();
    this.apiMs = 0;
    this.ttftMs = undefined;
    this.lastStop = undefined;
    this.turnModelUsage = {};
    this.denied.clear();
  }

  /**
   * One engine event. A subagent's events (`agentId` set) never touch this turn's round, usage or stream state:
   * its tool calls and results become `system`/`subagent` lines (agent_id, event, tool name, error flag), the
   * rest of them is left out (the subagent's transcript file holds it).
   */
  event(e: EngineEvent): void {
    if (e.agentId !== undefined) {
      if (e.type === "tool_call" || e.type === "tool_result")
        this.system("subagent", {
          agent_id: e.agentId,
          event: e.type,
          tool_name: e.name,
          tool_use_id: e.id,
          ...(e.type === "tool_result" ? { is_error: e.isError } : {}),
        });
      return;
    }
    switch (e.type) {
      case "routing":
        this.model = e.model;
        this.system("routing", {
          arm: e.arm,
          provider: e.provider,
          model: e.model,
          task_type: e.taskType,
          classifier: e.classifier,
          reason: e.reason,
          two_stage: e.twoStage,
        });
        return;
      case "round_start":
        this.round = {
          messageId: `msg_owlet_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
          model: this.model,
          startedAt: performance.now(),
          nextIndex: 0,
          promptTokens: 0,
        };
        this.system("round_start", {
          round: e.round,
          tools: e.tools,
          tool_choice: e.toolChoice,
          ...(e.promptTokens ? { prompt_tokens: e.promptTokens } : {}),
        });
        if (this.opts.partial) this.line({ type: "system", subtype: "status", status: "requesting" });
        this.round.promptTokens = e.promptTokens?.total ?? 0;
        return;
      case "text_delta":
      case "reasoning_delta":
        this.firstToken();
        if (this.opts.partial) this.streamDelta(e.type === "text_delta" ? "text" : "thinking", e.text);
        return;
      case "usage":
        this.firstToken();
        if (this.round) {
          this.round.ended = { usage: e.usage, ...(e.stopReason ? { stopReason: e.stopReason } : {}) };
          this.apiMs += performance.now() - this.round.startedAt;
        }
        this.lastStop = e.stopReason;
        this.addModelUsage(this.round?.model ?? this.model, e.usage);
        if (this.opts.verbose)
          this.system("usage", {
            round: e.round,
            input_tokens: e.usage.inputTokens,
            output_tokens: e.usage.outputTokens,
          });
        return;
      case "permission_denied":
        this.denied.add(e.id);
        this.system("permission_denied", {
          tool_name: e.name,
          tool_use_id: e.id,
          tool_input: toolInput(e.arguments),
          message: e.message,
        });
        return;
      case "retry":
        this.system("api_retry", {
          attempt: e.attempt,
          max_retries: 4,
          retry_delay_ms: e.delayMs,
          error_status: null,
          error: "unknown",
          reason: e.reason,
        });
        return;
      case "early_stop":
        this.system("early_stop", { detector: e.detector, reason: e.reason });
        return;
      case "failover":
        this.system("failover", { from: e.from, to: e.to, reason: e.reason });
        return;
      case "compaction":
        this.system("compaction", {
          reason: e.reason,
          dropped_messages: e.droppedMessages,
          compacted_results: e.compactedResults,
        });
        return;
      case "warning":
        this.system("warning", { message: e.message });
        return;
      default:
        // tool_call and tool_result reach the wire as the assistant and user messages that hold them
        return;
    }
  }

  /** One message appended to the conversation's history. */
  message(m: Message): void {
    if (m.role === "assistant") {
      this.assistant(m);
      return;
    }
    const results = m.content.filter((b) => b.type === "tool_result");
    if (results.length > 0) {
      this.toolResults(results);
      return;
    }
    if (this.skipPrompt) {
      this.skipPrompt = false;
      return;
    }
    // owlet's corrections and reminders: user messages the model reads that no person typed
    this.line({
      type: "user",
      message: { role: "user", content: m.content.map(wireBlock).filter((b) => b !== undefined) },
      parent_tool_use_id: null,
      isSynthetic: true,
      timestamp: new Date().toISOString(),
    });
  }

  /** The turn's result line (see resultLine); `costUSD` is the agent's spend so far. */
  result(
    turn: TurnResult,
    extra: { costUSD: number; costBeforeTurnUSD?: number; budgetExceeded?: boolean },
  ): WireLine {
    // The agent prices rounds by arm; with one model the whole spend is that model's (else it stays unsplit).
    const models = Object.values(this.modelUsage);
    if (models.length === 1) models[0]!.costUSD = extra.costUSD;
    const turnModels = Object.values(this.turnModelUsage);
    if (turnModels.length === 1 && models.length === 1)
      turnModels[0]!.costUSD = extra.costUSD - (extra.costBeforeTurnUSD ?? 0);
    const timing: TurnTiming = {
      durationMs: Math.round(performance.now() - this.turnStarted),
      apiMs: Math.round(this.apiMs),
      ...(this.ttftMs !== undefined ? { ttftMs: Math.round(this.ttftMs) } : {}),
    };
    const line = resultLine(turn, {
      sessionId: this.opts.sessionId,
      timing,
      costUSD: extra.costUSD,
      modelUsage: this.modelUsage,
      turnModelUsage: this.turnModelUsage,
      stopReason: this.lastStop ?? null,
      resultIndex: this.results++,
      budgetExceeded: extra.budgetExceeded === true,
    });
    return this.line(line);
  }

  private assistant(m: Message): void {
    const round = this.round?.ended ? this.round : undefined;
    const common = {
      parent_tool_use_id: null,
      ...(round ? {} : { isSynthetic: true }),
    };
    const usage = wireUsage(round?.ended?.usage ?? { inputTokens: 0, outputTokens: 0 });
    const id = round?.messageId ?? `msg_owlet_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
    const model = round?.model ?? this.model;
    const send = (block: WireBlock) =>
      this.line({
        type: "assistant",
        message: {
          id,
          type: "message",
          role: "assistant",
          model,
          content: [block],
          stop_reason: null,
          stop_sequence: null,
          usage,
          context_management: null,
        },
        ...common,
        timestamp: new Date().toISOString(),
      });
    const blocks = m.content.map(wireBlock).filter((b): b is WireBlock => b !== undefined);
    if (!round || !this.opts.partial) {
      for (const b of blocks) send(b);
      if (round) this.round = undefined;
      return;
    }
    this.ensureStarted(round);
    // Partial mode: the streamed blocks (text, thinking) were opened as they streamed; each block's assistant
    // message goes out before its content_block_stop, as Claude Code does. Tool calls stream now, whole.
    const streamed = blocks.filter((b) => b.type === "text" || b.type === "thinking");
    const calls = blocks.filter((b) => b.type === "tool_use");
    for (const b of streamed) send(b);
    if (round.block) {
      this.stream({ type: "content_block_stop", index: round.block.index });
      round.block = undefined;
    }
    for (const call of calls) {
      if (call.type !== "tool_use") continue;
      const index = round.nextIndex++;
      this.stream({
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: call.id, name: call.name, input: {} },
      });
      this.stream({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(call.input) },
      });
      send(call);
      this.stream({ type: "content_block_stop", index });
    }
    const stop = round.ended?.stopReason ?? (calls.length > 0 ? "tool_use" : "end_turn");
    this.stream({
      type: "message_delta",
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: round.ended?.usage.outputTokens ?? 0 },
    });
    this.stream({ type: "message_stop" });
    this.round = undefined;
  }

  private toolResults(blocks: ContentBlock[]): void {
    const content = blocks.map(wireBlock).filter((b): b is WireBlock => b !== undefined);
    const first = blocks[0];
    const text = first?.type === "tool_result" ? first.content : "";
    const isError = first?.type === "tool_result" && first.isError === true;
    this.line({
      type: "user",
      message: { role: "user", content },
      parent_tool_use_id: null,
      timestamp: new Date().toISOString(),
      tool_use_result: isError ? `Error: ${text}` : text,
      tool_result_meta: blocks
        .filter((b) => b.type === "tool_result")
        .map((b) => ({
          id: b.toolCallId,
          permission_decision: { decision: this.denied.has(b.toolCallId) ? "reject" : "accept" },
        })),
    });
  }

  /** Partial mode: the round's message_start, sent with the first thing the model streams (as its ttft_ms). */
  private ensureStarted(round: OpenRound): void {
    if (!this.opts.partial || round.started) return;
    round.started = true;
    this.line({
      type: "stream_event",
      event: {
        type: "message_start",
        message: {
          id: round.messageId,
          type: "message",
          role: "assistant",
          model: round.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: wireUsage({ inputTokens: round.promptTokens, outputTokens: 0 }),
        },
      },
      parent_tool_use_id: null,
      ttft_ms: Math.round(performance.now() - round.startedAt),
      api_message_id: round.messageId,
    });
  }

  private streamDelta(kind: "text" | "thinking", text: string): void {
    const round = this.round;
    if (!round) return;
    this.ensureStarted(round);
    if (round.block?.kind !== kind) {
      if (round.block) this.stream({ type: "content_block_stop", index: round.block.index });
      round.block = { index: round.nextIndex++, kind };
      this.stream({
        type: "content_block_start",
        index: round.block.index,
        content_block:
          kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" },
      });
    }
    this.stream({
      type: "content_block_delta",
      index: round.block.index,
      delta: kind === "text" ? { type: "text_delta", text } : { type: "thinking_delta", thinking: text },
    });
  }

  private firstToken(): void {
    if (this.ttftMs === undefined && this.round) this.ttftMs = performance.now() - this.turnStarted;
  }

  private addModelUsage(model: string, u: Usage): void {
    for (const table of [this.modelUsage, this.turnModelUsage]) {
      const row = table[model] ?? {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
        webSearchRequests: 0,
        costUSD: 0,
        contextWindow: this.opts.contextWindow?.(model) ?? 0,
        maxOutputTokens: 0,
      };
      table[model] = row;
      row.inputTokens += u.inputTokens;
      row.outputTokens += u.outputTokens;
      row.cacheReadInputTokens += u.cacheReadTokens ?? 0;
      row.cacheCreationInputTokens += u.cacheWriteTokens ?? 0;
    }
  }

  private stream(event: Record<string, unknown>): void {
    this.line({
      type: "stream_event",
      event,
      parent_tool_use_id: null,
      ...(this.round ? { api_message_id: this.round.messageId } : {}),
    });
  }

  private system(subtype: string, fields: Record<string, unknown>): void {
    this.line({ type: "system", subtype, ...fields });
  }

  private line(obj: WireLine): WireLine {
    const full = { ...obj, session_id: this.opts.sessionId, uuid: randomUUID() };
    this.opts.emit(full);
    return full;
  }
}
