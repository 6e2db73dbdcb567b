import type { EngineEvent } from "../../engine/events.ts";
import type { TurnResult } from "../../engine/turn-result.ts";
import { describeDenials } from "./denials.ts";
import type { Renderer, RenderTarget, TurnEnd } from "./renderer.ts";

/**
 * `--output-format text`: the model's text on stdout (streamed live on a terminal; only the final answer
 * when stdout is piped, so scripts get just the answer), tool activity on stderr, and routing, rounds and
 * prompt sizes on stderr with `--verbose`.
 */
export class TextRenderer implements Renderer {
  private readonly target: RenderTarget;
  private readonly live: boolean;
  private midLine = false;

  constructor(target: RenderTarget) {
    this.target = target;
    this.live = target.out.isTTY === true;
  }

  beginTurn(): void {}

  message(): void {}

  event(event: EngineEvent): void {
    const { err, verbose } = this.target;
    if (event.agentId !== undefined) {
      // A subagent's work shows on stderr, marked with its id; only the main agent's answer goes to stdout.
      if (event.type === "tool_call")
        err.write(`  [${event.agentId}] ⏺ ${event.name}(${clip(event.arguments, 120)})\n`);
      else if (event.type === "tool_result" && event.isError)
        err.write(`  [${event.agentId}]   ⎿ error: ${clip(firstLine(event.output), 120)}\n`);
      return;
    }
    switch (event.type) {
      case "text_delta":
        if (this.live) {
          this.target.out.write(event.text);
          this.midLine = !event.text.endsWith("\n");
        }
        return;
      case "tool_call":
        this.breakLine();
        err.write(`⏺ ${event.name}(${clip(event.arguments, 160)})\n`);
        return;
      case "tool_result":
        err.write(
          `  ⎿ ${event.isError ? "error: " : ""}${clip(firstLine(event.output), 160)}${lineCount(event.output)}\n`,
        );
        return;
      case "failover":
        this.breakLine();
        err.write(`owlet: ${event.from} failed (${event.reason}); failing over to ${event.to}\n`);
        return;
      case "retry":
        err.write(
          `owlet: ${event.reason}; retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s\n`,
        );
        return;
      case "early_stop":
        this.breakLine();
        err.write(`owlet: early stop (${event.detector}): ${event.reason}\n`);
        return;
      case "warning":
        err.write(`owlet: ${event.message}\n`);
        return;
      case "routing":
        if (verbose)
          err.write(
            `[routing] ${event.arm} task=${event.taskType} (${event.classifier}) two_stage=${event.twoStage}: ${event.reason}\n`,
          );
        return;
      case "round_start":
        if (verbose) {
          const p = event.promptTokens;
          const parts = p
            ? ` prompt≈${p.total} tokens (system ${p.system}, tools ${p.tools}, history ${p.history})`
            : "";
          err.write(
            `[round ${event.round}] tools=${event.tools.join(",")} choice=${event.toolChoice}${parts}\n`,
          );
        }
        return;
      case "compaction":
        if (verbose)
          err.write(
            `[compaction] ${event.reason}: dropped ${event.droppedMessages} messages, compacted ${event.compactedResults} results\n`,
          );
        return;
      case "usage":
        if (verbose)
          err.write(
            `[usage] round ${event.round}: ${event.usage.inputTokens} prompt + ${event.usage.outputTokens} completion tokens\n`,
          );
        return;
      default:
        return;
    }
  }

  result(turn: TurnResult, end: TurnEnd): void {
    const sessionId = end.sessionId;
    if (this.live) {
      this.breakLine();
    } else if (turn.text) {
      this.target.out.write(`${turn.text}\n`);
    }
    if (turn.status !== "success") this.target.err.write(`owlet: ${turn.error ?? turn.status}\n`);
    if (turn.permissionDenials?.length)
      this.target.err.write(`owlet: ${describeDenials(turn.permissionDenials)}\n`);
    if (this.target.verbose) {
      this.target.err.write(
        `[done] ${turn.status} in ${turn.rounds} rounds; ${turn.usage.inputTokens} prompt + ${turn.usage.outputTokens} completion tokens; session ${sessionId ?? "(none)"}\n`,
      );
    }
  }

  error(message: string): void {
    this.breakLine();
    this.target.err.write(`owlet: ${message}\n`);
  }

  private breakLine(): void {
    if (this.midLine) {
      this.target.out.write("\n");
      this.midLine = false;
    }
  }
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function firstLine(s: string): string {
  return s.split("\n", 1)[0] ?? "";
}

function lineCount(s: string): string {
  const n = s.split("\n").length;
  return n > 1 ? ` (+${n - 1} lines)` : "";
}
