/**
 * A scripted Anthropic Messages API server for benchmarks: a real HTTP server on 127.0.0.1 (random port) that
 * answers `POST /v1/messages` with one text reply, streamed as Anthropic's SSE events (message_start,
 * content_block_start, content_block_delta text_delta, content_block_stop, message_delta with the stop reason,
 * message_stop) when `stream` is true, else as one JSON message; `POST /v1/messages/count_tokens` gets a count.
 * Every request is recorded with its arrival time (performance.now()).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as received, with its arrival time (ms, this process's performance.now()). */
export interface AnthropicRequest {
  method: string;
  path: string;
  body: any;
  at: number;
}

/** A running server; `baseURL` is the origin (Anthropic clients add `/v1`). */
export interface AnthropicServer {
  baseURL: string;
  requests: AnthropicRequest[];
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

/** Starts the server; every message request is answered with `text`. */
export async function startAnthropicServer(text = "hi"): Promise<AnthropicServer> {
  const requests: AnthropicRequest[] = [];
  const server = createServer((req, res) => {
    const at = performance.now();
    void readBody(req).then((raw) => {
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const path = (req.url ?? "/").split("?")[0]!;
      requests.push({ method: req.method ?? "GET", path, body, at });
      if (req.method === "POST" && path === "/v1/messages/count_tokens") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ input_tokens: 10 }));
        return;
      }
      if (req.method !== "POST" || path !== "/v1/messages") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ type: "error", error: { type: "not_found_error", message: `no route ${path}` } }),
        );
        return;
      }
      const model = body?.model ?? "claude-scripted";
      const usage = { input_tokens: 10, output_tokens: 1 };
      if (body?.stream !== true) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id: "msg_1",
            type: "message",
            role: "assistant",
            model,
            content: [{ type: "text", text }],
            stop_reason: "end_turn",
            stop_sequence: null,
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const send = (event: string, data: unknown) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      send("message_start", {
        type: "message_start",
        message: {
          id: "msg_1",
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage,
        },
      });
      send("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      });
      send("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text },
      });
      send("content_block_stop", { type: "content_block_stop", index: 0 });
      send("message_delta", {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 1 },
      });
      send("message_stop", { type: "message_stop" });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
