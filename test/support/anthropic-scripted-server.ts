/**
 * A scripted Anthropic Messages API server for tests: a real HTTP server on 127.0.0.1 (random port) that answers
 * `POST /v1/messages` from a script instead of a model, streaming Server-Sent Events exactly as Anthropic's
 * Messages API does (`event: message_start` with the message shell and input usage, then per content block
 * `content_block_start` / `content_block_delta` (`text_delta`, `input_json_delta`) / `content_block_stop`, a
 * `ping` after the first block starts, `message_delta` with the stop reason and output usage, `message_stop`).
 * It also answers `POST /v1/messages/count_tokens` (an estimate) and records every request. The counterpart of
 * scripted-server.ts (OpenAI's chat-completions wire), used to record what real Claude Code prints.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted content block of a reply: text, or a tool_use whose `input` is sent as one `input_json_delta`. */
export type AnthropicScriptedBlock =
  | { type: "text"; text: string | string[] }
  | { type: "tool_use"; id?: string; name: string; input: Record<string, unknown> };

/** What the server answers to one Messages request. `stopReason` defaults to `tool_use` when a block is one, else `end_turn`. */
export interface AnthropicScriptedReply {
  content: AnthropicScriptedBlock[];
  stopReason?: "end_turn" | "tool_use" | "max_tokens";
  /** Tokens; default an estimate of 1 token per 4 characters. */
  usage?: { input_tokens: number; output_tokens: number };
  /** Answer with this HTTP status and an Anthropic error body instead. */
  status?: number;
}

/** One request as received: path, lower-cased headers, parsed JSON body. */
export interface AnthropicRecordedRequest {
  path: string;
  headers: Record<string, string>;
  body: any;
}

/** Chooses the reply for the `index`-th `POST /v1/messages` request (0-based). */
export type AnthropicScript = (req: AnthropicRecordedRequest, index: number) => AnthropicScriptedReply;

/** A running server: `baseURL` has no `/v1` (as ANTHROPIC_BASE_URL takes it); `requests` in arrival order. */
export interface AnthropicScriptedServer {
  baseURL: string;
  requests: AnthropicRecordedRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": "req_scripted" });
  res.end(JSON.stringify(body));
}

function errorBody(type: string, message: string): unknown {
  return { type: "error", error: { type, message } };
}

const estimate = (value: unknown) => Math.max(1, Math.ceil(JSON.stringify(value ?? "").length / 4));

/**
 * Starts the server on 127.0.0.1 with a random port. Routes: `POST /v1/messages` (streamed when `stream: true`,
 * else one Message object), `POST /v1/messages/count_tokens`; anything else → 404 with an Anthropic error body.
 */
export async function startAnthropicScriptedServer(
  script: AnthropicScript,
): Promise<AnthropicScriptedServer> {
  const requests: AnthropicRecordedRequest[] = [];
  let index = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, errorBody("api_error", `scripted server crashed: ${String(err)}`));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      sendJson(res, 400, errorBody("invalid_request_error", "body is not JSON"));
      return;
    }
    const path = req.url ?? "/";
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
    requests.push({ path, headers, body });
    const route = path.split("?")[0];
    if (req.method === "POST" && route === "/v1/messages/count_tokens") {
      sendJson(res, 200, { input_tokens: estimate(body?.messages) });
      return;
    }
    if (req.method !== "POST" || route !== "/v1/messages") {
      sendJson(res, 404, errorBody("not_found_error", `scripted server: no route for ${req.method} ${path}`));
      return;
    }
    const n = index++;
    const reply = script({ path, headers, body }, n);
    if (reply.status !== undefined && reply.status >= 400) {
      sendJson(res, reply.status, errorBody("api_error", `scripted error (HTTP ${reply.status})`));
      return;
    }
    const model = String(body?.model ?? "claude-scripted");
    const id = `msg_scripted_${n}`;
    const blocks = reply.content.map((b, i) =>
      b.type === "tool_use" ? { ...b, id: b.id ?? `toolu_scripted_${n}_${i}` } : b,
    );
    const stopReason =
      reply.stopReason ?? (blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
    const usage = reply.usage ?? {
      input_tokens: estimate(body?.messages),
      output_tokens: estimate(blocks),
    };
    const fullUsage = {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: usage.output_tokens,
      service_tier: "standard",
    };
    const finalContent = blocks.map((b) =>
      b.type === "text"
        ? { type: "text", text: Array.isArray(b.text) ? b.text.join("") : b.text }
        : { type: "tool_use", id: b.id, name: b.name, input: b.input },
    );
    if (body?.stream !== true) {
      sendJson(res, 200, {
        id,
        type: "message",
        role: "assistant",
        model,
        content: finalContent,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: fullUsage,
      });
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "request-id": `req_scripted_${n}`,
    });
    const send = (event: string, data: unknown) =>
      new Promise<void>((resolve) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, () => resolve()),
      );
    await send("message_start", {
      type: "message_start",
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...fullUsage, output_tokens: 1 },
      },
    });
    for (const [i, b] of blocks.entries()) {
      if (b.type === "text") {
        await send("content_block_start", {
          type: "content_block_start",
          index: i,
          content_block: { type: "text", text: "" },
        });
        if (i === 0) await send("ping", { type: "ping" });
        for (const t of Array.isArray(b.text) ? b.text : [b.text])
          await send("content_block_delta", {
            type: "content_block_delta",
            index: i,
            delta: { type: "text_delta", text: t },
          });
      } else {
        await send("content_block_start", {
          type: "content_block_start",
          index: i,
          content_block: { type: "tool_use", id: b.id, name: b.name, input: {} },
        });
        if (i === 0) await send("ping", { type: "ping" });
        await send("content_block_delta", {
          type: "content_block_delta",
          index: i,
          delta: { type: "input_json_delta", partial_json: JSON.stringify(b.input) },
        });
      }
      await send("content_block_stop", { type: "content_block_stop", index: i });
    }
    await send("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    });
    await send("message_stop", { type: "message_stop" });
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
