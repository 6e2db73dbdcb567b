/**
 * A real Redis for tests: Debian's `redis-server` (installed by scripts/install-system-deps.sh) started on a free
 * loopback port with no persistence, as a child of the test, and stopped after it. Never the system service.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createConnection, createServer } from "node:net";

/** A running test Redis: its `redis://127.0.0.1:PORT/0` URL, and `stop`. */
export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** True when `redis-server` is on PATH. */
export function haveRedis(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: "127.0.0.1", port }, () => c.write("PING\r\n"));
    c.once("data", (d) => {
      c.destroy();
      resolve(d.toString().startsWith("+PONG"));
    });
    c.once("error", () => resolve(false));
  });
}

/** Starts redis-server on a free port; resolves once it answers PING (throws after 10 s). */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "yes",
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 100; i++) {
    if (await ping(port)) break;
    if (i === 99) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
