import type { ToolCallBlock, ToolResultBlock } from "../message/types.ts";
import { parseToolArguments } from "../tool/args.ts";
import type { ToolRegistry } from "../tool/registry.ts";
import type { ResultsStore } from "../tool/results-store.ts";
import { redactSecrets } from "../tool/secrets/redact.ts";
import type { Tool, ToolContext, ToolOutput } from "../tool/types.ts";
import type { EngineEvent } from "./events.ts";
import type { PermissionGate } from "./permission-gate.ts";
import { type MiddlewareCall, runAfter, runBefore, type ToolMiddleware } from "./tool-middleware.ts";

/**
 * Wraps the run of one tool call that passed its permission check: `run` runs the tool and gives its output.
 * A wrapper may act before and after it (checkpoints record the files the call may change before it runs, see
 * tool/checkpoints/) and returns the output it was given; a wrapper that throws fails the call as a tool error.
 */
export type ToolCallWrapper = (
  call: { call: ToolCallBlock; tool: Tool; args: unknown },
  run: () => Promise<ToolOutput>,
) => Promise<ToolOutput>;

/** What tool execution needs from the engine. */
export interface ToolExecutionDeps {
  registry: ToolRegistry;
  context: Omit<ToolContext, "signal">;
  signal: AbortSignal;
  gate: PermissionGate;
  store?: ResultsStore;
  /** Lexical JSON repair for malformed arguments (the text-call layer's repairJson), optional. */
  repair?: (text: string) => string | undefined;
  /** Resolves a near-miss tool name (`fs.read`, `FS_READ`) to a registered one. */
  resolveName?: (name: string, known: string[]) => string | undefined;
  emit: (event: EngineEvent) => void;
  /** Wraps every call that runs (see ToolCallWrapper); default none. */
  wrap?: ToolCallWrapper;
  /** Wrappers around every call (hooks), in order; see ToolMiddleware. Default none. */
  middleware?: readonly ToolMiddleware[];
  /** The id of the agent making the calls (subagents), passed to the middleware. */
  agentId?: string;
}

/**
 * Runs one round's tool calls (as gnoma's executeTools, with results kept in call order): read-only calls run
 * concurrently, the others one at a time in order. Every call gets exactly one result; failures (unknown tool,
 * malformed arguments, permission denied, a thrown error, a tool's own error) are error results the model sees.
 * Every result is redacted first (secrets → `[REDACTED:<rule>]`, counted on a last line); large outputs then go to
 * the results store and are replaced by a path plus a preview. `deps.middleware` wraps each call that parsed:
 * before the gate (block, ask, context) and after the tool ran (feedback, context), see ToolMiddleware; what a
 * middleware adds is redacted with the result.
 */
export async function executeToolCalls(
  calls: ToolCallBlock[],
  deps: ToolExecutionDeps,
): Promise<ToolResultBlock[]> {
  const results = new Array<ToolResultBlock | undefined>(calls.length);
  const known = deps.registry.all().map((t) => t.name);
  const readOnly: number[] = [];
  const sequential: number[] = [];
  const tools = calls.map((call, i) => {
    let tool = deps.registry.get(call.name);
    if (!tool && deps.resolveName) {
      const resolved = deps.resolveName(call.name, known);
      if (resolved) tool = deps.registry.get(resolved);
    }
    if (!tool) {
      results[i] = errorResult(
        call,
        `unknown tool "${call.name}". Available tools: ${known.join(", ")}.`,
        call.name,
        "invalid",
      );
    } else if (tool.readOnly) readOnly.push(i);
    else sequential.push(i);
    return tool;
  });

  await Promise.all(readOnly.map(async (i) => (results[i] = await runOne(calls[i]!, tools[i]!, deps))));
  for (const i of sequential) {
    results[i] = deps.signal.aborted
      ? errorResult(calls[i]!, "not run: the turn was interrupted", calls[i]!.name, "interrupted")
      : await runOne(calls[i]!, tools[i]!, deps);
  }
  for (let i = 0; i < calls.length; i++) {
    const r = results[i]!;
    if (!tools[i])
      deps.emit({
        type: "tool_result",
        id: r.toolCallId,
        name: r.toolName,
        output: r.content,
        isError: true,
      });
  }
  return results as ToolResultBlock[];
}

async function runOne(call: ToolCallBlock, tool: Tool, deps: ToolExecutionDeps): Promise<ToolResultBlock> {
  const result = await redacted(await produce(call, tool, deps));
  const stored = deps.store ? deps.store.maybeStore(tool.name, call.id, result.content) : undefined;
  const final = stored ? { ...result, content: stored.content } : result;
  deps.emit({
    type: "tool_result",
    id: call.id,
    name: tool.name,
    output: final.content,
    isError: final.isError,
  });
  return final;
}

async function produce(call: ToolCallBlock, tool: Tool, deps: ToolExecutionDeps): Promise<ToolResultBlock> {
  const parsed = parseToolArguments(tool, call.arguments, deps.repair ? { repair: deps.repair } : {});
  if (!parsed.ok) return errorResult(call, parsed.error, tool.name, "invalid");
  const middleware = deps.middleware ?? [];
  const seen: MiddlewareCall = {
    id: call.id,
    tool,
    args: parsed.args,
    ...(deps.agentId !== undefined ? { agentId: deps.agentId } : {}),
  };
  const warn = (message: string) => deps.emit({ type: "warning", message });
  const before = middleware.length > 0 ? await runBefore(middleware, seen, deps.signal, warn) : undefined;
  if (before?.block !== undefined) {
    deps.emit({
      type: "permission_denied",
      id: call.id,
      name: tool.name,
      arguments: call.arguments,
      message: before.block,
    });
    return errorResult(call, withNotes(before.block, before.context), tool.name, "denied");
  }
  const decision = await deps.gate.check(tool, parsed.args, {
    id: call.id,
    ...(before?.ask !== undefined ? { ask: before.ask } : {}),
  });
  if (!decision.allowed) {
    deps.emit({
      type: "permission_denied",
      id: call.id,
      name: tool.name,
      arguments: call.arguments,
      message: decision.message,
    });
    return errorResult(call, decision.message, tool.name, "denied");
  }
  let result: ToolResultBlock;
  try {
    // An interrupt returns at once: the tool gets the abort signal and cleans up (kills its process group) on its own.
    const run = () => tool.run(parsed.args, { ...deps.context, signal: deps.signal, callId: call.id });
    const out = await untilAborted(
      deps.wrap ? deps.wrap({ call, tool, args: parsed.args }, run) : run(),
      deps.signal,
    );
    result = {
      type: "tool_result",
      toolCallId: call.id,
      toolName: tool.name,
      content: out.output,
      isError: out.isError === true,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    result = errorResult(call, `${tool.name} failed: ${message}`, tool.name);
  }
  if (middleware.length === 0) return result;
  // After-middleware sees the output as the model will (redacted), and only adds to it.
  const shown = await redacted(result);
  const after = deps.signal.aborted
    ? []
    : await runAfter(middleware, seen, { output: shown.content, isError: shown.isError }, deps.signal, warn);
  const notes = [...(before?.context ?? []), ...after];
  return notes.length > 0 ? { ...result, content: withNotes(result.content, notes) } : result;
}

/** `content` followed by each note on its own paragraph. */
function withNotes(content: string, notes: readonly string[]): string {
  return notes.length === 0 ? content : [content, ...notes].join("\n\n");
}

/**
 * `run`'s output, or, as soon as `signal` aborts, an error output saying the call was interrupted (the tool's own
 * promise settles later, ignored), so Ctrl-C ends a turn without waiting for a tool that is slow to stop.
 */
function untilAborted(run: Promise<ToolOutput>, signal: AbortSignal): Promise<ToolOutput> {
  if (signal.aborted) {
    run.catch(() => {});
    return Promise.resolve({ output: "interrupted: the turn was cancelled", isError: true });
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      run.catch(() => {});
      resolve({ output: "interrupted: the turn was cancelled while this call ran", isError: true });
    };
    signal.addEventListener("abort", onAbort, { once: true });
    run.then(
      (out) => {
        signal.removeEventListener("abort", onAbort);
        resolve(out);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The result with every secret replaced by `[REDACTED:<rule>]` (see redactSecrets) and, when any was, a last line
 * counting them, so neither the model nor the results store ever holds one.
 */
async function redacted(result: ToolResultBlock): Promise<ToolResultBlock> {
  const r = await redactSecrets(result.content);
  if (r.count === 0) return result;
  const note = `\n[owlet: ${r.count} secret${r.count === 1 ? "" : "s"} redacted (${r.rules.join(", ")})]`;
  return { ...result, content: r.text + note };
}

function errorResult(
  call: ToolCallBlock,
  content: string,
  name = call.name,
  notRun?: ToolResultBlock["notRun"],
): ToolResultBlock {
  const result: ToolResultBlock = {
    type: "tool_result",
    toolCallId: call.id,
    toolName: name,
    content,
    isError: true,
  };
  if (notRun) result.notRun = notRun;
  return result;
}
