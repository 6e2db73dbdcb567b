/**
 * One eval run: a fresh copy of a task's repository, `owlet -p <prompt>` through the built CLI with
 * `--output-format stream-json`, then the task's check command. Everything recorded comes from what the CLI
 * printed and what the check returned, never from owlet's internals.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTestFile } from "../src/context/check-output.ts";
import { isCodeFile } from "../src/engine/fix-loop.ts";
import { SELECT_CATEGORY } from "../src/engine/two-stage.ts";
import { parseToolCalls } from "../src/provider/textcalls/parse.ts";
import { builtinTools } from "../src/tool/builtin/index.ts";
import { editableFiles, materialise, type Task } from "./materialise.ts";

/** owlet's built-in tool names (an answer that parses as a call to one of them was never executed). */
const OWLET_TOOLS = [...builtinTools().map((t) => t.name), SELECT_CATEGORY];

/** How owlet reaches the model for a run. */
export interface ArmSpec {
  /** `embedded` (in-process GGUF) or `llamacpp` (a llama.cpp server at `baseURL`). */
  kind: "embedded" | "llamacpp";
  /** The GGUF path (embedded) or the model name to send (server). */
  model: string;
  baseURL?: string;
}

/** Options of {@link runTask}. */
export interface RunTaskOptions {
  /** Path of `bin/owlet`. */
  owlet: string;
  arm: ArmSpec;
  twoStage: boolean;
  seed: number;
  /** A config file (temperature 0 and the like), passed with --config. */
  configPath: string;
  /** Round limit, passed as --max-turns. */
  maxTurns: number;
  /** Wall-time limit of the owlet process, s; it is killed (SIGTERM, then SIGKILL) after it. */
  timeoutSec: number;
  /** Keep the run directory (for debugging) instead of deleting it. */
  keep?: boolean;
  /** Where to write owlet's raw stream-json output (for debugging); not written when undefined. */
  transcriptPath?: string;
}

/** One row of the eval's results (`bench/results/eval-<model>.json`). Units: seconds, tokens. */
export interface RunRecord {
  task: string;
  suite: string;
  language: string;
  arm: string;
  model: string;
  twoStage: boolean;
  seed: number;
  /** The task's check command passed after the run. */
  passed: boolean;
  /** owlet's exit code (null when it was killed by the time limit). */
  exitCode: number | null;
  /** The result's owlet_status (success, max_turns, stuck, …), `timeout` when killed, `no_result` if none. */
  status: string;
  rounds: number;
  /** Tool calls by name, counted from the assistant messages' tool_use blocks (select_category included). */
  toolCalls: Record<string, number>;
  /** Tool calls that were denied by the permission gate. */
  deniedCalls: number;
  promptTokens: number;
  completionTokens: number;
  wallSeconds: number;
  /** Exit 0 while the check fails. */
  falseSuccess: boolean;
  /** The turn ended "success" with a final text that parses as a tool call (an unexecuted call). */
  unexecutedCallAnswer: boolean;
  /** The model changed the task's tests or non-code files; they were restored before the check. */
  testsModified: boolean;
  /** The final answer, at most 300 chars. */
  answer: string;
  error?: string;
}

/** Runs one task once; never throws for a failed run (the record says what happened). */
export async function runTask(task: Task, opts: RunTaskOptions): Promise<RunRecord> {
  // A neutral name: the workspace path is in the system prompt, and a task id there would hint at the bug.
  const root = mkdtempSync(join(tmpdir(), "owlet-eval-"));
  const { dir, check } = materialise(task, join(root, "repo"));
  const args = [
    "-p",
    task.prompt,
    "--output-format",
    "stream-json",
    "--permission-mode",
    "bypass",
    "--max-turns",
    String(opts.maxTurns),
    "--seed",
    String(opts.seed),
    "--config",
    opts.configPath,
    opts.twoStage ? "--two-stage" : "--no-two-stage",
    ...(opts.arm.kind === "embedded"
      ? ["--provider", "embedded", "--model", opts.arm.model]
      : ["--provider", "llamacpp", "--base-url", opts.arm.baseURL ?? "", "--model", opts.arm.model]),
  ];
  const started = performance.now();
  const out = await spawnCollect(opts.owlet, args, dir, opts.timeoutSec * 1000);
  const wallSeconds = (performance.now() - started) / 1000;
  if (opts.transcriptPath) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(opts.transcriptPath, `${out.stdout}\n--- stderr ---\n${out.stderr}`);
  }
  const testsModified = restoreFixedFiles(dir, editableFiles(task));
  const checkRun = await spawnCollect(check[0]!, check.slice(1), dir, (task.timeoutSec ?? 60) * 1000);
  const passed = checkRun.code === 0;

  const events = out.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, any>;
      } catch {
        return undefined;
      }
    })
    .filter((e): e is Record<string, any> => e !== undefined);
  // owlet's stream-json is Claude Code's: tool calls are the tool_use blocks of assistant messages, their results
  // the tool_result blocks of user messages, owlet's own events system lines, and owlet's status `owlet_status`.
  const result = events.findLast((e) => e.type === "result");
  const blocks = (type: string, role: string) =>
    events
      .filter((e) => e.type === role && Array.isArray(e.message?.content))
      .flatMap((e) => e.message.content as Record<string, any>[])
      .filter((b) => b?.type === type);
  const toolCalls: Record<string, number> = {};
  for (const b of blocks("tool_use", "assistant")) toolCalls[b.name] = (toolCalls[b.name] ?? 0) + 1;
  const deniedCalls = blocks("tool_result", "user").filter(
    (b) => b.is_error === true && /denied/i.test(String(b.content).slice(0, 200)),
  ).length;
  // The model's final text is its last assistant text block (an error result's `result` is the error).
  const lastText = blocks("text", "assistant").at(-1)?.text;
  const answer = String(result?.owlet_status === "success" ? result.result : (lastText ?? ""));
  const status = out.timedOut ? "timeout" : String(result?.owlet_status ?? result?.subtype ?? "no_result");
  const record: RunRecord = {
    task: task.id,
    suite: task.suite,
    language: task.language,
    arm: opts.arm.kind,
    model: (opts.arm.model.split("/").at(-1) ?? opts.arm.model).replace(/\.gguf$/i, ""),
    twoStage: opts.twoStage,
    seed: opts.seed,
    passed,
    exitCode: out.timedOut ? null : out.code,
    status,
    rounds: Number(
      result?.num_turns ?? events.filter((e) => e.type === "system" && e.subtype === "round_start").length,
    ),
    toolCalls,
    deniedCalls,
    promptTokens: Number(result?.usage?.input_tokens ?? 0),
    completionTokens: Number(result?.usage?.output_tokens ?? 0),
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    falseSuccess: out.code === 0 && !out.timedOut && !passed,
    unexecutedCallAnswer: status === "success" && parseToolCalls(answer, OWLET_TOOLS).calls.length > 0,
    testsModified,
    answer: answer.slice(0, 300),
  };
  if (result?.error) record.error = String(result.error).slice(0, 300);
  else if (!result) record.error = out.stderr.trim().split("\n").slice(-3).join(" ").slice(0, 300);
  if (!opts.keep) rmSync(root, { recursive: true, force: true });
  return record;
}

/**
 * Restores the task's fixed part to its committed content before the check: the tests and every file that is not
 * source code (package.json, configs, instructions), since a model may "fix" a failing test by changing the test
 * or the test command. Source files stay as the model left them, the ones the reference solution does not touch
 * included: a fix in the caller is a fix (it was once undone here, and the run counted as a false success).
 * `editable` (the solution's files) are never restored. Returns whether any fixed file had been changed or
 * deleted.
 */
function restoreFixedFiles(dir: string, editable: readonly string[]): boolean {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
  const fixed = git("ls-files", "-z")
    .split("\0")
    .filter((f) => f !== "" && !editable.includes(f) && (isTestFile(f) || !isCodeFile(f)));
  const changed = git("diff", "--name-only", "-z", "HEAD", "--", ...fixed)
    .split("\0")
    .filter((f) => f !== "");
  if (changed.length > 0) git("checkout", "HEAD", "--", ...changed);
  return changed.length > 0;
}

interface Collected {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command with no stdin, collecting its output; kills it (TERM, then KILL after 5 s) past `timeoutMs`. */
function spawnCollect(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<Collected> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${err.message}`, timedOut });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
