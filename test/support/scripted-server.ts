/**
 * A scripted OpenAI-compatible model server for tests: a real HTTP server on 127.0.0.1 (random port)
 * that answers `POST /v1/chat/completions` from a script instead of a model, streaming Server-Sent
 * Events exactly like OpenAI's chat-completions API (role chunk first, `tool_calls` deltas with
 * `index`/`id`/`function.name` on the first delta then `function.arguments` fragments, `finish_reason`
 * on the last choice chunk, a usage chunk with empty `choices` when `stream_options.include_usage`,
 * then `data: [DONE]`). It also serves `GET /v1/models` and llama.cpp's `GET /props`, and records
 * every request it receives.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted tool call of a reply. `arguments` is the raw JSON text sent to the client. */
export interface ScriptedToolCall {
  /** Tool call id; default `call_<reply index>_<call index>`. */
  id?: string;
  name: string;
  /** Raw arguments text (sent verbatim, so it may be invalid JSON on purpose). */
  arguments: string;
  /** Split `arguments` into this many `function.arguments` deltas (default 1). */
  chunks?: number;
}

/**
 * What the server answers to one chat-completions request.
 * - Success (no `status`, or `status` < 400): `reasoning` (sent as `reasoning_content`, llama.cpp style)
 *   first, then `text` (a string is one chunk, an array is one chunk per element), then `toolCalls`.
 *   `finishReason` defaults to `tool_calls` when there are tool calls, else `stop`. `usage` defaults to
 *   an estimate of 1 token per 4 characters of request messages / reply.
 * - Error (`status` ≥ 400): that status with `headers` and `errorBody` (default
 *   `{ error: { message, type, code } }`; a string body is sent as-is).
 * - Timing: `delayMs` before the response starts; `chunkDelayMs` between SSE events.
 * - `htmlPage`: answer 200 `text/html` with that page (what a wrong base URL pointing at a web server gets).
 * - `dropAfterChunks`: destroy the socket after writing this many SSE `data:` events (the role chunk
 *   counts as the first), to simulate a connection lost mid-stream.
 */
export interface ScriptedReply {
  text?: string | string[];
  reasoning?: string;
  toolCalls?: ScriptedToolCall[];
  finishReason?: "stop" | "length" | "tool_calls";
  usage?: { prompt_tokens: number; completion_tokens: number };
  status?: number;
  headers?: Record<string, string>;
  errorBody?: unknown;
  delayMs?: number;
  chunkDelayMs?: number;
  dropAfterChunks?: number;
  /** Answer 200 with this HTML page instead of a stream (a wrong base URL reaching a web server). */
  htmlPage?: string;
}

/** One request as received: path (with query), lower-cased headers, and the parsed JSON body (`undefined` when empty, the raw text when not JSON). */
export interface RecordedRequest {
  path: string;
  headers: Record<string, string>;
  body: any;
}

/** A script: replies used in order, or a function choosing the reply for the `index`-th chat-completions request (0-based). */
export type Script = ScriptedReply[] | ((req: RecordedRequest, index: number) => ScriptedReply);

/** Options: `nCtx` enables `GET /props` reporting that context size (tokens); `models` is the `/v1/models` list (default `["scripted-model"]`). */
export interface ScriptedServerOptions {
  nCtx?: number;
  models?: string[];
}

/** A running scripted server. `baseURL` ends with `/v1`; `requests` lists every request in arrival order. */
export interface ScriptedServer {
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}

function errorJson(message: string, type: string, code: string | number | null): unknown {
  return { error: { message, type, code } };
}

/** Splits `s` into `n` contiguous non-empty-where-possible pieces whose concatenation is `s`. */
function splitInto(s: string, n: number): string[] {
  const count = Math.max(1, Math.min(Math.floor(n), Math.max(1, s.length)));
  const size = Math.ceil(s.length / count);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(s.slice(i * size, (i + 1) * size));
  return out;
}

function textChunks(text: ScriptedReply["text"]): string[] {
  if (text === undefined) return [];
  return Array.isArray(text) ? text : [text];
}

function estimateUsage(body: RecordedRequest["body"], reply: ScriptedReply) {
  const promptChars = JSON.stringify(body?.messages ?? []).length;
  const outChars =
    textChunks(reply.text).join("").length +
    (reply.reasoning ?? "").length +
    (reply.toolCalls ?? []).reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  return { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(outChars / 4) };
}

function defaultFinish(reply: ScriptedReply): "stop" | "length" | "tool_calls" {
  return reply.finishReason ?? ((reply.toolCalls?.length ?? 0) > 0 ? "tool_calls" : "stop");
}

/**
 * Starts a scripted OpenAI-compatible server on 127.0.0.1 with a random port.
 * Routes: `POST /v1/chat/completions` (streamed when `stream: true`, else one JSON completion),
 * `GET /v1/models`, `GET /props` (only when `opts.nCtx` is set; 404 otherwise). Anything else → 404.
 * When the script has no reply left, the request gets a 500 whose message says the script is exhausted.
 * A request body that is not JSON gets a 400.
 */
export async function startScriptedServer(
  script: Script,
  opts: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const models = opts.models ?? ["scripted-model"];
  let chatIndex = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, errorJson(`scripted server crashed: ${String(err)}`, "server_error", null));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: unknown;
    let badJson = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        badJson = true;
      }
    }
    const path = req.url ?? "/";
    const recorded: RecordedRequest = { path, headers: flattenHeaders(req), body };
    requests.push(recorded);
    const route = path.split("?")[0];

    if (req.method === "GET" && route === "/v1/models") {
      const created = Math.floor(Date.now() / 1000);
      sendJson(res, 200, {
        object: "list",
        data: models.map((id) => ({ id, object: "model", created, owned_by: "scripted" })),
      });
      return;
    }
    if (req.method === "GET" && route === "/props") {
      if (opts.nCtx === undefined) {
        sendJson(res, 404, errorJson("File Not Found", "not_found_error", 404));
        return;
      }
      sendJson(res, 200, {
        default_generation_settings: { n_ctx: opts.nCtx },
        chat_template_caps: { supports_tools: true, supports_tool_calls: true },
      });
      return;
    }
    if (req.method !== "POST" || route !== "/v1/chat/completions") {
      sendJson(
        res,
        404,
        errorJson(`scripted server: no route for ${req.method} ${path}`, "not_found_error", 404),
      );
      return;
    }
    if (badJson) {
      sendJson(
        res,
        400,
        errorJson("scripted server: request body is not valid JSON", "invalid_request_error", null),
      );
      return;
    }

    const index = chatIndex++;
    let reply: ScriptedReply | undefined;
    if (typeof script === "function") reply = script(recorded, index);
    else reply = script[index];
    if (reply === undefined) {
      const length = typeof script === "function" ? "?" : String(script.length);
      sendJson(
        res,
        500,
        errorJson(
          `scripted server: script exhausted: no reply for chat request #${index + 1} (script has ${length} replies)`,
          "server_error",
          "script_exhausted",
        ),
      );
      return;
    }

    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.htmlPage !== undefined) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(reply.htmlPage);
      return;
    }
    if (reply.status !== undefined && reply.status >= 400) {
      const errorBody =
        reply.errorBody ??
        errorJson(
          `scripted error (HTTP ${reply.status})`,
          reply.status >= 500 ? "server_error" : "invalid_request_error",
          reply.status,
        );
      sendJson(res, reply.status, errorBody, reply.headers);
      return;
    }

    const reqBody = body as any;
    const model = typeof reqBody?.model === "string" ? reqBody.model : (models[0] ?? "scripted-model");
    const id = `chatcmpl-scripted-${index}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = reply.usage ?? estimateUsage(reqBody, reply);
    const usageJson = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const calls = (reply.toolCalls ?? []).map((c, i) => ({ ...c, id: c.id ?? `call_${index}_${i}` }));

    if (reqBody?.stream !== true) {
      const text = textChunks(reply.text).join("");
      const message: Record<string, unknown> = {
        role: "assistant",
        content: text.length > 0 || calls.length === 0 ? text : null,
      };
      if (reply.reasoning !== undefined) message.reasoning_content = reply.reasoning;
      if (calls.length > 0)
        message.tool_calls = calls.map((c) => ({
          id: c.id,
          type: "function",
          function: { name: c.name, arguments: c.arguments },
        }));
      sendJson(
        res,
        reply.status ?? 200,
        {
          id,
          object: "chat.completion",
          created,
          model,
          choices: [{ index: 0, message, logprobs: null, finish_reason: defaultFinish(reply) }],
          usage: usageJson,
        },
        reply.headers,
      );
      return;
    }

    const includeUsage = reqBody?.stream_options?.include_usage === true;
    const events: unknown[] = [];
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    events.push(chunk({ role: "assistant", content: "" }));
    if (reply.reasoning !== undefined) events.push(chunk({ reasoning_content: reply.reasoning }));
    for (const t of textChunks(reply.text)) events.push(chunk({ content: t }));
    calls.forEach((c, i) => {
      events.push(
        chunk({
          tool_calls: [{ index: i, id: c.id, type: "function", function: { name: c.name, arguments: "" } }],
        }),
      );
      for (const frag of splitInto(c.arguments, c.chunks ?? 1))
        events.push(chunk({ tool_calls: [{ index: i, function: { arguments: frag } }] }));
    });
    events.push(chunk({}, defaultFinish(reply)));
    if (includeUsage)
      events.push({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        system_fingerprint: null,
        choices: [],
        usage: usageJson,
      });

    res.writeHead(reply.status ?? 200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      ...reply.headers,
    });
    let written = 0;
    for (const ev of events) {
      if (reply.dropAfterChunks !== undefined && written >= reply.dropAfterChunks) {
        res.destroy();
        return;
      }
      if (written > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (res.destroyed) return;
      await new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(ev)}\n\n`, () => resolve()));
      written++;
    }
    if (reply.dropAfterChunks !== undefined && written >= reply.dropAfterChunks) {
      res.destroy();
      return;
    }
    res.end("data: [DONE]\n\n");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
