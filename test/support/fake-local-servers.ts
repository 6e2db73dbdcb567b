/**
 * Tiny node:http stand-ins for the local model servers owlet talks to, bound to 127.0.0.1 on port 0.
 * Each records the requests it received (method, path, parsed JSON body) so tests can assert on the wire.
 *
 * Shapes follow the servers' documented endpoints:
 * - llama.cpp `llama-server`: `GET /props` (`default_generation_settings.n_ctx`, `chat_template_caps`,
 *   `model_path`) and `GET /v1/models`.
 * - Ollama: `GET /api/tags`, `POST /api/show` (`capabilities`, `model_info["<arch>.context_length"]`) and
 *   `POST /api/chat` streaming newline-delimited JSON chunks, the last with `done: true` and token counts.
 * - LM Studio: `GET /v1/models` and `GET /api/v0/models` (`max_context_length`, `loaded_context_length`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a fake server received. `body` is the parsed JSON body, or undefined when there was none. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/** A running fake server. `origin` is `http://127.0.0.1:<port>` with no trailing slash. */
export interface FakeServer {
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

type Handler = (req: RecordedRequest, res: ServerResponse) => void;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (text === "") return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(text);
      }
    });
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

async function startServer(handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const recorded: RecordedRequest = {
          method: req.method ?? "GET",
          path: (req.url ?? "/").split("?")[0] ?? "/",
          body,
        };
        requests.push(recorded);
        handler(recorded, res);
      },
      () => sendJson(res, 400, { error: "unreadable body" }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Options for the fake llama.cpp server. */
export interface FakeLlamaCppOptions {
  /** `default_generation_settings.n_ctx`; default 8192 tokens. */
  nCtx?: number;
  /** `chat_template_caps.supports_tools` and `supports_tool_calls`; omit `chat_template_caps` when undefined. */
  supportsTools?: boolean;
  /** Default `/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf`. */
  modelPath?: string;
  /** Ids `/v1/models` reports; when empty the endpoint answers 404 (older builds). Default the model file name. */
  modelIds?: string[];
}

/** Starts a fake llama.cpp server (`/props`, `/v1/models`). */
export function startFakeLlamaCpp(opts: FakeLlamaCppOptions = {}): Promise<FakeServer> {
  const modelPath = opts.modelPath ?? "/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf";
  const ids = opts.modelIds ?? [modelPath.split("/").pop() ?? "default"];
  return startServer((req, res) => {
    if (req.method === "GET" && req.path === "/props") {
      const props: Record<string, unknown> = {
        default_generation_settings: { n_ctx: opts.nCtx ?? 8192, params: {} },
        total_slots: 1,
        model_path: modelPath,
        build_info: "b9999-fake",
      };
      if (opts.supportsTools !== undefined) {
        props.chat_template_caps = {
          supports_tools: opts.supportsTools,
          supports_tool_calls: opts.supportsTools,
          supports_system_role: true,
        };
      }
      return sendJson(res, 200, props);
    }
    if (req.method === "GET" && req.path === "/v1/models") {
      if (ids.length === 0) return sendJson(res, 404, { error: "not found" });
      return sendJson(res, 200, {
        object: "list",
        data: ids.map((id) => ({ id, object: "model", owned_by: "llamacpp" })),
      });
    }
    sendJson(res, 404, { error: "not found" });
  });
}

/** One model the fake Ollama server has pulled. */
export interface FakeOllamaModel {
  name: string;
  /** `general.architecture`; default "qwen2". */
  arch?: string;
  /** `model_info["<arch>.context_length"]`; omitted when undefined. */
  contextLength?: number;
  /** `capabilities` of `/api/show`; default ["completion", "tools"]. */
  capabilities?: string[];
}

/** Options for the fake Ollama server. */
export interface FakeOllamaOptions {
  models?: FakeOllamaModel[];
  /** Text `/api/chat` streams back, split into two chunks; default "Hello from Ollama". */
  reply?: string;
  /** When set, `/api/chat` answers with this native tool call (arguments as an object) instead of text. */
  toolCall?: { name: string; arguments: Record<string, unknown> };
}

/** Starts a fake Ollama server (`/api/tags`, `/api/show`, streaming `/api/chat`, `/api/version`). */
export function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeServer> {
  const models = opts.models ?? [{ name: "qwen2.5-coder:1.5b", contextLength: 32768 }];
  const reply = opts.reply ?? "Hello from Ollama";
  return startServer((req, res) => {
    if (req.method === "GET" && req.path === "/api/version")
      return sendJson(res, 200, { version: "0.0.0-fake" });
    if (req.method === "GET" && req.path === "/api/tags") {
      return sendJson(res, 200, {
        models: models.map((m) => ({
          name: m.name,
          model: m.name,
          size: 1_000_000,
          details: { format: "gguf" },
        })),
      });
    }
    if (req.method === "POST" && req.path === "/api/show") {
      const wanted = (req.body as { model?: string; name?: string } | undefined) ?? {};
      const m = models.find((x) => x.name === (wanted.model ?? wanted.name));
      if (!m) return sendJson(res, 404, { error: `model '${wanted.model}' not found` });
      const arch = m.arch ?? "qwen2";
      const info: Record<string, unknown> = { "general.architecture": arch };
      if (m.contextLength !== undefined) info[`${arch}.context_length`] = m.contextLength;
      return sendJson(res, 200, {
        modelfile: "",
        parameters: "",
        template: "",
        model_info: info,
        capabilities: m.capabilities ?? ["completion", "tools"],
      });
    }
    if (req.method === "POST" && req.path === "/api/chat") {
      const model = (req.body as { model?: string } | undefined)?.model ?? "unknown";
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      const at = new Date(0).toISOString();
      const half = Math.ceil(reply.length / 2);
      const content = opts.toolCall
        ? [
            {
              model,
              created_at: at,
              message: { role: "assistant", content: "", tool_calls: [{ function: opts.toolCall }] },
              done: false,
            },
          ]
        : [
            {
              model,
              created_at: at,
              message: { role: "assistant", content: reply.slice(0, half) },
              done: false,
            },
            {
              model,
              created_at: at,
              message: { role: "assistant", content: reply.slice(half) },
              done: false,
            },
          ];
      const chunks = [
        ...content,
        {
          model,
          created_at: at,
          message: { role: "assistant", content: "" },
          done: true,
          done_reason: "stop",
          prompt_eval_count: 12,
          eval_count: 5,
        },
      ];
      res.end(chunks.map((c) => `${JSON.stringify(c)}\n`).join(""));
      return;
    }
    sendJson(res, 404, { error: "not found" });
  });
}

/** One model the fake LM Studio server lists. */
export interface FakeLmStudioModel {
  id: string;
  /** `type` in `/api/v0/models`; default "llm". */
  type?: string;
  maxContextLength?: number;
  /** Present only for loaded models. */
  loadedContextLength?: number;
  /** `capabilities` in `/api/v0/models`, e.g. ["tool_use"]. */
  capabilities?: string[];
}

/** Options for the fake LM Studio server. */
export interface FakeLmStudioOptions {
  models?: FakeLmStudioModel[];
  /** When false, `/api/v0/models` answers 404 (as an older LM Studio would). Default true. */
  restApi?: boolean;
}

/** Starts a fake LM Studio server (`/v1/models`, `/api/v0/models`, `/api/v0/models/<id>`). */
export function startFakeLmStudio(opts: FakeLmStudioOptions = {}): Promise<FakeServer> {
  const models = opts.models ?? [{ id: "qwen2.5-coder-1.5b-instruct", maxContextLength: 32768 }];
  const v0 = (m: FakeLmStudioModel) => ({
    id: m.id,
    object: "model",
    type: m.type ?? "llm",
    state: m.loadedContextLength !== undefined ? "loaded" : "not-loaded",
    max_context_length: m.maxContextLength,
    ...(m.loadedContextLength !== undefined ? { loaded_context_length: m.loadedContextLength } : {}),
    ...(m.capabilities ? { capabilities: m.capabilities } : {}),
  });
  return startServer((req, res) => {
    if (req.method === "GET" && req.path === "/v1/models") {
      return sendJson(res, 200, { object: "list", data: models.map((m) => ({ id: m.id, object: "model" })) });
    }
    if (opts.restApi !== false && req.method === "GET" && req.path === "/api/v0/models") {
      return sendJson(res, 200, { object: "list", data: models.map(v0) });
    }
    if (opts.restApi !== false && req.method === "GET" && req.path.startsWith("/api/v0/models/")) {
      const id = decodeURIComponent(req.path.slice("/api/v0/models/".length));
      const m = models.find((x) => x.id === id);
      return m ? sendJson(res, 200, v0(m)) : sendJson(res, 404, { error: "model not found" });
    }
    sendJson(res, 404, { error: "not found" });
  });
}

/**
 * Returns the origin of a loopback port that nothing listens on (a server is bound and closed), so a
 * connection to it is refused at once.
 */
export async function closedLoopbackOrigin(): Promise<string> {
  const s = await startServer((_req, res) => sendJson(res, 500, {}));
  await s.close();
  return s.origin;
}
