import type { EngineEvent } from "../../engine/events.ts";
import type { TurnResult } from "../../engine/turn-result.ts";
import type { Message } from "../../message/types.ts";
import { setupErrorLine } from "../stream-json/result.ts";
import { ClaudeTranscript } from "../stream-json/transcript.ts";
import { CLAUDE_CODE_WIRE_VERSION, type WireLine } from "../stream-json/wire.ts";
import type { Renderer, RenderTarget, RunStart, TurnEnd } from "./renderer.ts";

/** Options of the Claude Code formats. */
export interface ClaudeRendererOptions {
  /** `stream-json`: one line per message; `json`: the result object (with --verbose, the array of all messages). */
  format: "stream-json" | "json";
  /** --include-partial-messages (stream-json only). */
  partial: boolean;
  /** Writes a line on stdout at once (control responses and requests share stdout with the messages). */
  write?: (line: WireLine) => void;
  /** Context window of a model, tokens (modelUsage). */
  contextWindow?: (model: string) => number | undefined;
  /** Host-only session state lines (`system`/`session_state_changed`), as Claude Code sends them to the agent SDK. */
  sessionState?: boolean;
}

/**
 * `--output-format stream-json` and `json` in Claude Code's shapes (see stream-json/transcript.ts, result.ts):
 * system/init at the start of each turn, assistant and user messages with content blocks, owlet's own events as
 * `system` subtypes (routing, round_start, early_stop, failover, api_retry, compaction, warning,
 * permission_denied; `usage` per round with --verbose), stream_event lines with --include-partial-messages, and
 * the result. `json` prints only the result object, or with --verbose the JSON array of every message (as
 * Claude Code does).
 */
export class ClaudeRenderer implements Renderer {
  private readonly target: RenderTarget;
  private readonly opts: ClaudeRendererOptions;
  private transcript: ClaudeTranscript | undefined;
  private readonly collected: WireLine[] = [];

  constructor(target: RenderTarget, opts: ClaudeRendererOptions) {
    this.target = target;
    this.opts = opts;
  }

  beginTurn(start: RunStart): void {
    this.transcript ??= new ClaudeTranscript({
      sessionId: start.sessionId,
      partial: this.opts.partial && this.opts.format === "stream-json",
      verbose: this.target.verbose,
      emit: (line) => this.emit(line),
      ...(this.opts.contextWindow ? { contextWindow: this.opts.contextWindow } : {}),
    });
    this.transcript.init({
      cwd: start.cwd,
      model: start.model,
      tools: start.tools,
      permissionMode: start.permissionMode,
      version: CLAUDE_CODE_WIRE_VERSION,
    });
    this.state("running", start.sessionId);
    this.transcript.beginTurn();
  }

  event(event: EngineEvent): void {
    this.transcript?.event(event);
  }

  message(message: Message): void {
    this.transcript?.message(message);
  }

  result(turn: TurnResult, end: TurnEnd): void {
    if (!this.transcript) return;
    const line = this.transcript.result(turn, {
      costUSD: end.costUSD,
      costBeforeTurnUSD: end.costBeforeTurnUSD,
      budgetExceeded: end.budgetExceeded,
    });
    if (this.opts.format === "json") {
      const body = this.target.verbose ? this.collected.splice(0) : line;
      this.target.out.write(`${JSON.stringify(body)}\n`);
      this.collected.length = 0;
    }
    this.state("idle", end.sessionId ?? null);
  }

  /** Session state for the agent SDK (`requires_action` while a permission prompt waits). */
  state(state: "running" | "idle" | "requires_action", sessionId: string | null): void {
    if (!this.opts.sessionState || this.opts.format !== "stream-json") return;
    this.write({
      type: "system",
      subtype: "session_state_changed",
      state,
      sdk_host_only: true,
      session_id: sessionId,
    });
  }

  error(message: string): void {
    this.write(setupErrorLine(message, null));
  }

  private emit(line: WireLine): void {
    if (this.opts.format === "stream-json") this.write(line);
    else this.collected.push(line);
  }

  private write(line: WireLine): void {
    if (this.opts.write) this.opts.write(line);
    else this.target.out.write(`${JSON.stringify(line)}\n`);
  }
}
