/**
 * A real llama.cpp `llama-server` for tests: finds the binary scripts/build-llama-server.sh caches and a
 * Qwen2.5-Coder GGUF, starts the server on a free loopback port and waits until `GET /health` answers 200.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where build-llama-server.sh caches binaries: `<cache>/owlet/llama-server/<release>/llama-server`. */
export function llamaServerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "owlet", "llama-server");
}

/**
 * The llama-server binary: `OWLET_LLAMA_SERVER` when set, else the newest release directory in the cache that
 * holds one; undefined when none is built.
 */
export function findLlamaServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OWLET_LLAMA_SERVER) return existsSync(env.OWLET_LLAMA_SERVER) ? env.OWLET_LLAMA_SERVER : undefined;
  const dir = llamaServerCacheDir(env);
  if (!existsSync(dir)) return undefined;
  const builds = readdirSync(dir)
    .map((release) => join(dir, release, "llama-server"))
    .filter((p) => existsSync(p))
    .sort();
  return builds.at(-1);
}

/**
 * A Qwen2.5-Coder GGUF of the given size ("0.5b" or "1.5b"): `OWLET_TEST_QWEN05` / `OWLET_TEST_QWEN15` when set,
 * else the first match in `<cache>/owlet/test-models/` (a name containing "qwen" and the size), else
 * `/tmp/qwen05.gguf` / `/tmp/qwen15.gguf`. Undefined when none exists.
 */
export function findQwenModel(
  size: "0.5b" | "1.5b",
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const fromEnv = size === "0.5b" ? env.OWLET_TEST_QWEN05 : env.OWLET_TEST_QWEN15;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const models = join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "owlet", "test-models");
  if (existsSync(models)) {
    const hit = readdirSync(models).find(
      (f) => f.toLowerCase().includes("qwen") && f.toLowerCase().includes(size) && f.endsWith(".gguf"),
    );
    if (hit) return join(models, hit);
  }
  const tmp = size === "0.5b" ? "/tmp/qwen05.gguf" : "/tmp/qwen15.gguf";
  return existsSync(tmp) ? tmp : undefined;
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A running llama-server: its OpenAI-compatible base URL (`…/v1`), its log so far, and `close()`. */
export interface RunningLlamaServer {
  baseURL: string;
  log(): string;
  close(): Promise<void>;
}

/** Options of {@link startLlamaServer}. `ctx` tokens (default 8192); `threads` (default 2). */
export interface LlamaServerOptions {
  binary: string;
  model: string;
  ctx?: number;
  threads?: number;
  /** Longest wait for /health, ms (default 120 s). */
  readyTimeoutMs?: number;
}

/**
 * Starts `llama-server -m <model> --host 127.0.0.1 --port <free> -c <ctx> -t <threads> -np 1 --jinja` and waits
 * for `GET /health` to answer 200. Throws with the server's log when it exits or is not ready in time.
 */
export async function startLlamaServer(opts: LlamaServerOptions): Promise<RunningLlamaServer> {
  const port = await freePort();
  const args = [
    "-m",
    opts.model,
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "-c",
    String(opts.ctx ?? 8192),
    "-t",
    String(opts.threads ?? 2),
    "-np",
    "1",
    "--jinja",
  ];
  const child: ChildProcess = spawn(opts.binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (b: Buffer) => {
    log = (log + b.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const close = async () => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await gone;
    clearTimeout(timer);
  };
  const root = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`llama-server exited before it was ready:\n${log}`);
    try {
      const res = await fetch(`${root}/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return { baseURL: `${root}/v1`, log: () => log, close };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await close();
  throw new Error(`llama-server was not ready within ${opts.readyTimeoutMs ?? 120_000} ms:\n${log}`);
}
