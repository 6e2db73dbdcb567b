/**
 * Test-only: runs owlet (bin/owlet, print mode) against the scripted model server with one reply that calls bash
 * once per given command, then a closing answer, and returns the tool results the model was sent back.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OwletRun, runOwlet } from "../support/run-owlet.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

/** What one attack run gives back: the process outcome and the bash results in call order. */
export interface AttackRun extends OwletRun {
  results: string[];
  server: ScriptedServer;
}

/** Options of {@link runAttack}. */
export interface AttackOptions {
  cwd: string;
  /** `--permission-mode`. */
  mode: string;
  /** TOML written to a file passed with `--config` (rules, sandbox settings). */
  config?: string;
  /** More owlet arguments, e.g. `["--sandbox", "off"]`. */
  args?: string[];
  env?: Record<string, string>;
  /** HOME for the run (default: a fresh directory under /var/tmp, outside the sandbox's private /tmp). */
  home?: string;
  timeoutMs?: number;
}

/** Runs owlet with a model that calls bash with each of `commands` (in one reply), then answers "done". */
export async function runAttack(commands: string[], opts: AttackOptions): Promise<AttackRun> {
  const server = await startScriptedServer([
    {
      toolCalls: commands.map((command, i) => ({
        id: `call_${i}`,
        name: "bash",
        arguments: JSON.stringify({ command }),
      })),
    },
    { text: "done" },
  ]);
  try {
    const args = [
      "-p",
      "do it",
      "--provider",
      "openai-compatible",
      "--no-two-stage",
      "--base-url",
      server.baseURL,
      "--model",
      "scripted-model",
      "--permission-mode",
      opts.mode,
      "--output-format",
      "json",
      ...(opts.args ?? []),
    ];
    if (opts.config !== undefined) {
      const dir = mkdtempSync(join(tmpdir(), "owlet-attack-config-"));
      made.push(dir);
      const file = join(dir, "config.toml");
      writeFileSync(file, opts.config);
      args.push("--config", file);
    }
    const home = opts.home ?? freshDir("owlet-attack-home-");
    const run = await runOwlet(args, {
      cwd: opts.cwd,
      home,
      ...(opts.env ? { env: opts.env } : {}),
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
    const chats = server.requests.filter((r) => r.path.includes("chat/completions"));
    const messages: { role: string; content: unknown }[] = chats.at(-1)?.body?.messages ?? [];
    const results = messages
      .filter((m) => m.role === "tool")
      .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
    return { ...run, results, server };
  } finally {
    await server.close();
  }
}

/** Directories made by freshDir and workspace, removed by removeAttackDirs. */
const made: string[] = [];

/** A fresh directory under /var/tmp: outside the workspace and outside the sandbox's private /tmp. */
export function freshDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join("/var/tmp", prefix)));
  made.push(dir);
  return dir;
}

/** Removes every directory freshDir and workspace made (call from afterAll). */
export function removeAttackDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh git workspace (one commit) in the OS temp dir. */
export function workspace(files: Record<string, string> = { "README.md": "# demo\n" }): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "owlet-attack-ws-")));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "initial");
  return dir;
}

/** Runs git in `cwd` with a fixed identity; returns its output. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  });
}
