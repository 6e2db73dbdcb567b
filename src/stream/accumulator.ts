import type { ContentBlock, Message, StopReason, Usage } from "../message/types.ts";
import type { StreamEvent } from "./events.ts";

/** What one streamed response folds into. */
export interface AccumulatedResponse {
  message: Message;
  usage: Usage;
  /** The provider's stop reason; `tool_use` whenever the message holds tool calls. */
  stopReason: StopReason;
  /**
   * True when the response's tool calls cannot be trusted whole: the provider stopped at the output limit
   * (`max_tokens`, reported even when calls were parsed), or a call started but never finished (a cut stream).
   */
  cut: boolean;
  model?: string;
}

/**
 * Folds stream events into one assistant message, usage and stop reason (as gnoma's stream.Accumulator).
 * Text and reasoning deltas merge into blocks in arrival order; tool calls become `tool_call` blocks at
 * `tool_call_done`. A call that started but never finished (stream cut) is kept with the arguments seen so far.
 */
export class Accumulator {
  private readonly blocks: ContentBlock[] = [];
  private readonly pendingCalls = new Map<string, { name: string; args: string; index: number }>();
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private stopReason: StopReason | undefined;
  private model: string | undefined;

  /** Applies one event. */
  apply(event: StreamEvent): void {
    switch (event.type) {
      case "text_delta": {
        if (event.text === "") return;
        const last = this.blocks.at(-1);
        if (last?.type === "text") last.text += event.text;
        else this.blocks.push({ type: "text", text: event.text });
        return;
      }
      case "reasoning_delta": {
        const last = this.blocks.at(-1);
        if (last?.type === "reasoning") {
          last.text += event.text;
          if (event.signature) last.signature = event.signature;
        } else {
          const block: ContentBlock = { type: "reasoning", text: event.text };
          if (event.signature) block.signature = event.signature;
          this.blocks.push(block);
        }
        return;
      }
      case "tool_call_start": {
        if (this.pendingCalls.has(event.id)) return;
        this.blocks.push({ type: "tool_call", id: event.id, name: event.name, arguments: "" });
        this.pendingCalls.set(event.id, { name: event.name, args: "", index: this.blocks.length - 1 });
        return;
      }
      case "tool_call_delta": {
        const pending = this.pendingCalls.get(event.id);
        if (pending) {
          pending.args += event.delta;
          const block = this.blocks[pending.index];
          if (block?.type === "tool_call") block.arguments = pending.args;
        }
        return;
      }
      case "tool_call_done": {
        const pending = this.pendingCalls.get(event.id);
        const block: ContentBlock = {
          type: "tool_call",
          id: event.id,
          name: event.name,
          arguments: event.arguments,
          ...(event.signature !== undefined ? { signature: event.signature } : {}),
        };
        if (pending) {
          this.blocks[pending.index] = block;
          this.pendingCalls.delete(event.id);
        } else {
          this.blocks.push(block);
        }
        return;
      }
      case "usage":
        this.usage = { ...event.usage };
        return;
      case "finish":
        this.stopReason = event.stopReason;
        if (event.model) this.model = event.model;
        return;
    }
  }

  /** True once any user-visible content (text or a tool call) arrived: after that, failover is no longer silent. */
  hasContent(): boolean {
    return this.blocks.some((b) => (b.type === "text" && b.text.trim() !== "") || b.type === "tool_call");
  }

  /** The response so far. Without a finish event the stop reason defaults to `end_turn` (or `tool_use` with calls). */
  response(): AccumulatedResponse {
    const content = this.blocks.map((b) => ({ ...b }));
    const hasCalls = content.some((b) => b.type === "tool_call");
    let stopReason: StopReason = this.stopReason ?? "end_turn";
    if (hasCalls) stopReason = "tool_use";
    else if (stopReason === "tool_use") stopReason = "end_turn";
    const out: AccumulatedResponse = {
      message: { role: "assistant", content },
      usage: { ...this.usage },
      stopReason,
      cut: this.stopReason === "max_tokens" || this.pendingCalls.size > 0,
    };
    if (this.model) out.model = this.model;
    return out;
  }
}
