import { userText } from "../../message/build.ts";
import type { Provider, ToolSchema } from "../../provider/types.ts";
import { type Classifier, parseTaskType, TASK_TYPES, type Task } from "../task.ts";
import { classifyHeuristic } from "./heuristic.ts";

/**
 * Small-model classifier (gnoma's `slm.Classifier`, reference §9): asks a model for
 * `{task_type, complexity, requires_tools}` and overlays the answer on the heuristic's verdict (which keeps
 * the priority). Unlike gnoma, which asked for free-form JSON and dug the first `{…}` out of the reply, the
 * answer is schema-constrained: the request carries one tool, `classify`, with toolChoice "required", so
 * an API model must call it and the embedded runtime turns the schema into a grammar. A text reply is still
 * accepted when it is (or contains) a JSON object. Timeout 2 s (gnoma §9); on timeout, provider error or an
 * unusable answer the heuristic verdict is returned with source `slm_fallback`.
 */

/** Default time limit for one classification, ms (gnoma §9). */
export const DEFAULT_SLM_TIMEOUT_MS = 2_000;

/** The forced tool whose arguments are the classification. */
export const CLASSIFY_TOOL: ToolSchema = {
  name: "classify",
  description: "Record the classification of the user's request.",
  inputSchema: {
    type: "object",
    properties: {
      task_type: { type: "string", enum: [...TASK_TYPES] },
      complexity: { type: "number", minimum: 0, maximum: 1 },
      requires_tools: { type: "boolean" },
    },
    required: ["task_type", "complexity", "requires_tools"],
    additionalProperties: false,
  },
};

const SYSTEM = `You classify requests sent to a coding assistant. Call the classify tool once.
task_type: boilerplate (scaffolding, config, stubs), generation (write new code), refactor (restructure existing code),
review (assess code or a change), unit_test (write or extend tests), planning (design, plan, break down work),
orchestration (coordinate several agents or steps across many places), security_review (vulnerabilities, secrets),
debug (find and fix a bug or failure), explain (answer a question about code or concepts).
complexity: 0.0-0.3 trivial or a lookup; 0.4-0.6 a new function, a refactor, tests; 0.7-1.0 architecture, many files, security, planning.
requires_tools: true when the assistant must read, search, edit or run anything in the project.`;

/** Options of SlmClassifier. */
export interface SlmClassifierOptions {
  provider: Provider;
  model: string;
  /** Time limit, ms (default 2000). */
  timeoutMs?: number;
}

/**
 * Parses the model's answer (tool-call arguments or a text reply) into the three fields.
 * Returns undefined when it is not JSON, the task type is unknown, or a field has the wrong type.
 */
export function parseSlmAnswer(
  text: string,
): { type: Task["type"]; complexity: number; requiresTools: boolean } | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    const start = text.indexOf("{");
    const end = text.lastIndexOf("}");
    if (start < 0 || end <= start) return undefined;
    try {
      obj = JSON.parse(text.slice(start, end + 1));
    } catch {
      return undefined;
    }
  }
  if (typeof obj !== "object" || obj === null) return undefined;
  const o = obj as Record<string, unknown>;
  const type = typeof o.task_type === "string" ? parseTaskType(o.task_type) : undefined;
  if (!type || typeof o.complexity !== "number" || !Number.isFinite(o.complexity)) return undefined;
  if (typeof o.requires_tools !== "boolean") return undefined;
  return { type, complexity: Math.min(1, Math.max(0, o.complexity)), requiresTools: o.requires_tools };
}

/** The small-model classifier. `classify` never throws (falls back to the heuristic). */
export class SlmClassifier implements Classifier {
  private readonly provider: Provider;
  private readonly model: string;
  private readonly timeoutMs: number;

  constructor(opts: SlmClassifierOptions) {
    this.provider = opts.provider;
    this.model = opts.model;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_SLM_TIMEOUT_MS;
  }

  async classify(prompt: string, signal?: AbortSignal): Promise<Task> {
    const base = classifyHeuristic(prompt);
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error("classifier timeout"));
        resolve("timeout");
      }, this.timeoutMs);
    });
    try {
      const answer = await Promise.race([this.ask(prompt, controller.signal), timeout]);
      if (answer === "timeout") return fallback(base, `slm timed out after ${this.timeoutMs} ms`);
      const parsed = answer === undefined ? undefined : parseSlmAnswer(answer);
      if (!parsed) return fallback(base, "slm answer unusable");
      return {
        ...base,
        ...parsed,
        source: "slm",
        reason: `slm: ${parsed.type} ${parsed.complexity.toFixed(2)}`,
      };
    } catch (err) {
      return fallback(base, `slm failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Streams the request; returns the `classify` call's arguments, else the reply text, else undefined. */
  private async ask(prompt: string, signal: AbortSignal): Promise<string | undefined> {
    let text = "";
    for await (const ev of this.provider.stream({
      model: this.model,
      system: SYSTEM,
      messages: [userText(prompt.length > 4000 ? prompt.slice(0, 4000) : prompt)],
      tools: [CLASSIFY_TOOL],
      toolChoice: "required",
      maxOutputTokens: 80,
      temperature: 0,
      signal,
    })) {
      if (ev.type === "tool_call_done" && ev.name === CLASSIFY_TOOL.name) return ev.arguments;
      if (ev.type === "text_delta") text += ev.text;
    }
    return text.trim() === "" ? undefined : text;
  }
}

function fallback(base: Task, why: string): Task {
  return { ...base, source: "slm_fallback", reason: `${why}; ${base.reason}` };
}
