import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { type OwletRun, runOwlet } from "../support/run-owlet.ts";
import {
  type RecordedRequest,
  type Script,
  type ScriptedReply,
  type ScriptedServer,
  startScriptedServer,
} from "../support/scripted-server.ts";

/** Servers started by {@link attack}; close them in afterEach with {@link closeServers}. */
const servers: ScriptedServer[] = [];

/** Closes every scripted server started so far. */
export async function closeServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

/** A fresh copy of the repo-add fixture (a git repository) and a fresh home for config. */
export async function workspace(): Promise<{ repo: string; home: string }> {
  return {
    repo: await fixtureRepo("repo-add"),
    home: mkdtempSync(join(tmpdir(), "owlet-sec-home-")),
  };
}

/** The outcome of one attack: the process run and every request the model server received. */
export interface AttackRun extends OwletRun {
  requests: RecordedRequest[];
  server: ScriptedServer;
}

/**
 * Runs `owlet -p <prompt>` in print mode (no terminal, so an `ask` is a denial) against a scripted model server
 * that answers from `script`, with `--permission-mode <mode>` when given and stream-json output.
 */
export async function attack(opts: {
  repo: string;
  home: string;
  script: Script;
  mode?: string;
  prompt?: string;
  input?: string;
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<AttackRun> {
  // Past the end of a list of replies, the model keeps answering "done" (an engine may ask it again, e.g. to verify).
  const replies = opts.script;
  const script: Script = Array.isArray(replies) ? (_req, i) => replies[i] ?? { text: "done" } : replies;
  const server = await startScriptedServer(script);
  servers.push(server);
  const args = [
    "-p",
    ...(opts.prompt === undefined ? [] : [opts.prompt]),
    "--provider",
    "openai-compatible",
    "--base-url",
    server.baseURL,
    "--model",
    "m",
    "--output-format",
    "stream-json",
    // The scripted replies are plain tool calls: no category pick first.
    "--no-two-stage",
    ...(opts.mode ? ["--permission-mode", opts.mode] : []),
    ...(opts.args ?? []),
  ];
  const run = await runOwlet(args, {
    cwd: opts.repo,
    home: opts.home,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  return { ...run, requests: server.requests, server };
}

/** Every tool message's content the model was sent, over all requests (last request holds all of them). */
export function toolResultsSent(requests: RecordedRequest[]): string[] {
  const last = requests.filter((r) => r.path.includes("chat/completions")).at(-1);
  const messages = (last?.body?.messages ?? []) as { role: string; content: unknown }[];
  return messages
    .filter((m) => m.role === "tool")
    .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
}

/** Everything sent to the model in any request, as one string. */
export function allSent(requests: RecordedRequest[]): string {
  return requests.map((r) => JSON.stringify(r.body)).join("\n");
}

/** A one-call reply, then a final answer: the usual two-request attack script. */
export function callThenAnswer(
  name: string,
  args: unknown,
  extra: { finishReason?: "length" } = {},
): ScriptedReply[] {
  return [
    {
      toolCalls: [{ name, arguments: typeof args === "string" ? args : JSON.stringify(args) }],
      ...(extra.finishReason ? { finishReason: extra.finishReason } : {}),
    },
    { text: "done" },
  ];
}
