/**
 * `--input-format stream-json`: Claude Code's stdin protocol. Each line is one JSON object: a user message
 * (`{"type":"user","message":{"role":"user","content":"…" | [blocks]}}`: one turn each, in order), a
 * `control_request` from the host (initialize, interrupt, set_permission_mode; others are answered with an
 * error response so the host never waits), or a `control_response` answering one of owlet's requests (the
 * `can_use_tool` permission prompts of `--permission-prompt-tool stdio`). As in the agent SDK's transport
 * (sdk.mjs: ProcessTransport, Query.processControlRequest).
 */
import { createInterface } from "node:readline";
import type { Asker, AskRequest } from "../../policy/ask.ts";
import type { WireLine } from "./wire.ts";

/** The system prompt settings an `initialize` request may carry (the SDK's systemPrompt / appendSystemPrompt). */
export interface InitializeSettings {
  /** Replaces owlet's system prompt when non-empty (the SDK sends `[""]` for "not set"). */
  systemPrompt?: string;
  appendSystemPrompt?: string;
}

/** What the host asked for, as the reader hands it to print mode. */
export type HostMessage =
  | { kind: "prompt"; text: string }
  | { kind: "initialize"; requestId: string; settings: InitializeSettings }
  | { kind: "interrupt"; requestId: string }
  | { kind: "set_permission_mode"; requestId: string; mode: string }
  | { kind: "unsupported"; requestId: string; subtype: string }
  | { kind: "invalid"; line: string; reason: string };

/** The text of a user message's content: a string, or its text blocks joined by blank lines (others skipped). */
export function userContentText(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .filter((b): b is { type: "text"; text: string } => b?.type === "text" && typeof b.text === "string")
    .map((b) => b.text);
  return texts.length > 0 ? texts.join("\n\n") : undefined;
}

/** A system prompt value of `initialize`: a string, or a list of strings joined (empty → not set). */
function promptValue(value: unknown): string | undefined {
  const text = Array.isArray(value)
    ? value.filter((v) => typeof v === "string").join("\n\n")
    : typeof value === "string"
      ? value
      : undefined;
  return text && text.trim() !== "" ? text : undefined;
}

/**
 * Parses one stdin line into a HostMessage, or handles it: a `control_response` goes to `responses` (the permission
 * prompts waiting on it) and returns undefined, as do blank lines and `keep_alive`.
 */
export function parseHostLine(line: string, responses: ControlResponses): HostMessage | undefined {
  if (line.trim() === "") return undefined;
  let obj: any;
  try {
    obj = JSON.parse(line);
  } catch {
    return { kind: "invalid", line, reason: "not JSON" };
  }
  if (obj?.type === "user") {
    const text = userContentText(obj.message?.content);
    if (text === undefined) return { kind: "invalid", line, reason: "a user message without text content" };
    return { kind: "prompt", text };
  }
  if (obj?.type === "control_response") {
    responses.resolve(obj.response);
    return undefined;
  }
  if (obj?.type === "control_request") {
    const requestId = String(obj.request_id ?? "");
    const subtype = String(obj.request?.subtype ?? "");
    if (subtype === "initialize") {
      const systemPrompt = promptValue(obj.request.systemPrompt);
      const appendSystemPrompt = promptValue(obj.request.appendSystemPrompt);
      return {
        kind: "initialize",
        requestId,
        settings: {
          ...(systemPrompt ? { systemPrompt } : {}),
          ...(appendSystemPrompt ? { appendSystemPrompt } : {}),
        },
      };
    }
    if (subtype === "interrupt") return { kind: "interrupt", requestId };
    if (subtype === "set_permission_mode")
      return { kind: "set_permission_mode", requestId, mode: String(obj.request.mode ?? "") };
    return { kind: "unsupported", requestId, subtype };
  }
  if (obj?.type === "keep_alive" || obj?.type === "update_environment_variables") return undefined;
  return { kind: "invalid", line, reason: `unknown message type "${String(obj?.type)}"` };
}

/** A success control_response line. */
export function controlSuccess(requestId: string, response: Record<string, unknown> = {}): WireLine {
  return { type: "control_response", response: { subtype: "success", request_id: requestId, response } };
}

/** An error control_response line. */
export function controlError(requestId: string, error: string): WireLine {
  return { type: "control_response", response: { subtype: "error", request_id: requestId, error } };
}

/** The control requests owlet sent that wait for the host's control_response, by request id. */
export class ControlResponses {
  private readonly pending = new Map<string, (response: any) => void>();
  private next = 0;

  /** A fresh request id and the promise of its response (the `response` object of control_response). */
  expect(): { requestId: string; response: Promise<any> } {
    const requestId = `owlet-${++this.next}`;
    const response = new Promise<any>((resolve) => this.pending.set(requestId, resolve));
    return { requestId, response };
  }

  /** Delivers a control_response's `response` (`{subtype, request_id, response | error}`). */
  resolve(response: any): void {
    const id = String(response?.request_id ?? "");
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    waiting(response);
  }

  /** Answers every waiting request as an error (stdin closed: nobody will answer). */
  closeAll(): void {
    for (const [id, waiting] of this.pending)
      waiting({ subtype: "error", request_id: id, error: "stdin closed" });
    this.pending.clear();
  }
}

/**
 * The asker of `--permission-prompt-tool stdio`: each ask becomes a `can_use_tool` control_request (tool_name,
 * input, tool_use_id, description, decision_reason) and waits for the host's answer: `behavior: "allow"` allows;
 * `deny`, an error response or stdin closing denies. `updatedInput` is not applied (owlet runs the call as the
 * model made it). `before`/`after` bracket each wait (session state requires_action / running).
 */
export function controlAsker(
  write: (line: WireLine) => void,
  responses: ControlResponses,
  hooks: { before?: () => void; after?: () => void } = {},
): Asker {
  return async (request: AskRequest) => {
    const { requestId, response } = responses.expect();
    hooks.before?.();
    write({
      type: "control_request",
      request_id: requestId,
      request: {
        subtype: "can_use_tool",
        tool_name: request.tool,
        display_name: request.tool,
        input: request.args !== null && typeof request.args === "object" ? request.args : {},
        description: request.summary,
        permission_suggestions: [],
        decision_reason: request.warning ?? request.reason,
        decision_reason_type: "mode",
        ...(request.callId ? { tool_use_id: request.callId } : {}),
      },
    });
    const answer = await response;
    hooks.after?.();
    return answer?.subtype === "success" && answer.response?.behavior === "allow";
  };
}

/** Reads `input` line by line into `onMessage` (in order); resolves when the stream ends. */
export async function readHostLines(
  input: NodeJS.ReadableStream,
  responses: ControlResponses,
  onMessage: (m: HostMessage) => void,
): Promise<void> {
  const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    const m = parseHostLine(line, responses);
    if (m) onMessage(m);
  }
  responses.closeAll();
}
