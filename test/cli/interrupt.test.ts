import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRepo, OWLET_BIN } from "../support/fixture-repo.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("interrupting print mode", () => {
  it("SIGINT mid-stream exits 130 and leaves the session on disk intact", async () => {
    const repo = await fixtureRepo("repo-add");
    server = await startScriptedServer([
      { text: Array.from({ length: 200 }, (_, i) => `word${i} `), chunkDelayMs: 50 },
    ]);
    const home = mkdtempSync(join(tmpdir(), "owlet-home-"));
    const child = spawn(
      OWLET_BIN,
      [
        "-p",
        "write a long story",
        "--provider",
        "openai-compatible",
        "--base-url",
        server.baseURL,
        "--model",
        "m",
        "--output-format",
        "stream-json",
        "--include-partial-messages",
      ],
      {
        cwd: repo,
        env: {
          ...process.env,
          HOME: home,
          XDG_CONFIG_HOME: join(home, "c"),
          XDG_CACHE_HOME: join(home, "k"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.includes('"text_delta"') && !child.killed) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(code).toBe(130);
    const last = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(last).toMatchObject({
      type: "result",
      subtype: "error_during_execution",
      owlet_status: "aborted",
      is_error: true,
    });
    const dir = join(repo, ".owlet", "sessions");
    const file = readdirSync(dir).find((f) => f.endsWith(".jsonl"))!;
    const lines = readFileSync(join(dir, file), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0].type).toBe("meta");
    expect(lines.some((l) => l.type === "message" && l.message.role === "user")).toBe(true);
  });
});
