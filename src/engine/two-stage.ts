import type { ToolCallBlock, ToolResultBlock } from "../message/types.ts";
import type { ToolSchema } from "../provider/types.ts";
import type { ToolCategory } from "../tool/types.ts";
import type { ArmHandle } from "./routing.ts";

/** Name of the synthetic category-selection tool (the seed's select_category). */
export const SELECT_CATEGORY = "select_category";

/** The pseudo-category that ends the tool work: the next round is the model's answer, with no tools. */
export const ANSWER = "answer";

/** Windows at or below this size (tokens) get two-stage routing on a local arm (the seed's twoStageContextLimit). */
export const TWO_STAGE_CONTEXT_LIMIT = 16_384;

/** `auto` follows the arm; `on` forces it (`--two-stage`, `[router] force_two_stage`); `off` disables it. */
export type TwoStageSetting = "auto" | "on" | "off";

/**
 * Whether two-stage tool routing applies to a turn on `arm` (the seed's useTwoStageTools): forced on, or a local
 * arm whose context window is ≤ 16,384 tokens or unknown; never for cloud arms unless forced; `off` wins.
 */
export function twoStageApplies(
  setting: TwoStageSetting,
  arm: Pick<ArmHandle, "local" | "contextWindow">,
): boolean {
  if (setting === "off") return false;
  if (setting === "on") return true;
  if (!arm.local) return false;
  return arm.contextWindow === undefined || arm.contextWindow <= TWO_STAGE_CONTEXT_LIMIT;
}

/** What two-stage routing needs to know of a tool: its schema, category and the other steps it serves. */
export interface CatalogueTool {
  schema: ToolSchema;
  category: ToolCategory;
  /** Further categories whose step offers this tool too (fs_read in `write`: read before you edit). */
  alsoIn?: readonly ToolCategory[];
  /** What an extension's category is for, in the pick (an MCP server's description); built-ins have theirs. */
  categoryHint?: string;
}

/** Words the category enum explains itself with (a category without tools is never offered). */
const CATEGORY_HINTS: Record<string, string> = {
  exec: "run the tests or a shell command",
  search: "find files, grep",
  read: "read a file, list a dir",
  write: "edit or create a file",
  meta: "other tools",
  [ANSWER]: "done: reply to the user",
};

/** The pick over the built-in tools' categories (the default of selectCategorySchema, for benches and tests). */
export const BUILTIN_PICK: readonly string[] = ["exec", "search", "read", "write", ANSWER];

/** The categories offered in a pick: those that hold at least one tool, in catalogue order, then `answer`. */
export function offeredCategories(catalogue: readonly CatalogueTool[]): string[] {
  const out: string[] = [];
  for (const t of catalogue) if (!out.includes(t.category)) out.push(t.category);
  // The order of a bug fix: run the tests, find and read the code, change it (the enum is shown in this order).
  // Extension categories (MCP servers, skills, agents) come after the built-in steps, before `meta`.
  const order = ["exec", "search", "read", "write", "*", "meta"];
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.indexOf("*"));
  out.sort((a, b) => rank(a) - rank(b));
  return [...out, ANSWER];
}

/** The hints of extension categories in a catalogue (the first tool's categoryHint of each), ≤ 80 chars each. */
export function categoryHints(catalogue: readonly CatalogueTool[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of catalogue) {
    if (t.categoryHint === undefined || out[t.category] !== undefined) continue;
    const one = t.categoryHint.replace(/\s+/g, " ").trim();
    out[t.category] = one.length > 80 ? `${one.slice(0, 77)}...` : one;
  }
  return out;
}

/**
 * The select_category schema: one required `category` enum of the offered categories. Short on purpose;
 * `progress` (what the turn's tool calls did so far, see progressNote) is appended so a small model picks the
 * next step from where it is rather than repeating the last one. `extraHints` describe extension categories
 * (see categoryHints).
 */
export function selectCategorySchema(
  categories: readonly string[] = BUILTIN_PICK,
  progress?: string,
  extraHints: Readonly<Record<string, string>> = {},
): ToolSchema {
  const hints = categories.map((c) => `${c} (${CATEGORY_HINTS[c] ?? extraHints[c] ?? c})`).join(", ");
  return {
    name: SELECT_CATEGORY,
    description: `Pick your next step: ${hints}.${progress ? ` Done so far: ${progress}.` : ""}`,
    inputSchema: {
      type: "object",
      properties: { category: { type: "string", enum: [...categories] } },
      required: ["category"],
    },
  };
}

/** The tools of one step: the category's own tools, then those that serve it too (`alsoIn`). */
export function stepTools(category: string, catalogue: readonly CatalogueTool[]): ToolSchema[] {
  const own = catalogue.filter((t) => t.category === category);
  const extra = catalogue.filter(
    (t) => t.category !== category && t.alsoIn?.includes(category as ToolCategory),
  );
  return [...own, ...extra].map((t) => t.schema);
}

/**
 * Where a two-stage turn is: picking a step, making the step's call, answering, or (the fix loop, see
 * engine/fix-loop.ts) replying with fixed code in a code block.
 */
export type TwoStagePhase =
  | { kind: "pick" }
  | { kind: "call"; category: string }
  | { kind: "answer" }
  | { kind: "patch" };

/** The tools to offer in one round and the tool choice to send with them. */
export interface RoundTools {
  tools: ToolSchema[];
  toolChoice: "auto" | "required";
}

/**
 * Tools for a round under two-stage routing. owlet runs it as a small state machine, every round but the
 * answer constrained, because small models given an optional tool ramble, print calls as prose, or end the
 * turn early (issue 8's transcripts):
 * - `pick`: only select_category (the offered categories plus `answer`), tool choice `required`;
 * - `call`: the picked step's tools (its category's, plus tools that serve it: a write step can read first),
 *   tool choice `required`; after the call has run the turn is back at `pick`;
 * - `answer`: no tools; the model's text is its answer;
 * - `patch`: no tools; the model replies with fixed code in a code block (the fix loop's edit format).
 * `banned` leaves one category out of a pick (the engine bans the step whose call just repeated an earlier one).
 * The seed instead offered the chosen category's tools with an optional choice until the model stopped; that
 * left every round after the first open to free text, which is where small models failed.
 */
export function twoStageRoundTools(
  phase: TwoStagePhase,
  catalogue: readonly CatalogueTool[],
  progress?: string,
  banned?: string,
): RoundTools {
  if (phase.kind === "answer" || phase.kind === "patch") return { tools: [], toolChoice: "auto" };
  if (phase.kind === "call") {
    const tools = stepTools(phase.category, catalogue);
    if (tools.length > 0) return { tools, toolChoice: "required" };
  }
  const offered = offeredCategories(catalogue).filter((c) => c !== banned);
  return {
    tools: [selectCategorySchema(offered, progress, categoryHints(catalogue))],
    toolChoice: "required",
  };
}

/** Calls listed in a progress note (the most recent ones). */
const PROGRESS_CALLS = 4;

/**
 * A one-line summary of the turn's real tool calls so far, newest last, at most the last four: the tool, its
 * main argument and how it ended, e.g. `fs_read stats.js ok; fs_edit stats.js failed; bash "node --test" failed`.
 * Undefined before any call.
 */
export function progressNote(
  calls: readonly { name: string; arguments: string; isError: boolean }[],
): string | undefined {
  if (calls.length === 0) return undefined;
  return calls
    .slice(-PROGRESS_CALLS)
    .map((c) => {
      let main = "";
      try {
        const a = JSON.parse(c.arguments || "{}") as Record<string, unknown>;
        const v = a.path ?? a.pattern ?? a.command;
        if (typeof v === "string") main = a.command === v ? ` "${v.slice(0, 40)}"` : ` ${v.slice(0, 60)}`;
      } catch {
        // arguments that are not JSON: the tool name alone
      }
      return `${c.name}${main} ${c.isError ? "failed" : "ok"}`;
    })
    .join("; ");
}

/** The outcome of answering one select_category call. */
export interface CategorySelection {
  /** The next phase: `call` for a category with tools, `answer`, or `pick` again after an invalid pick. */
  phase: TwoStagePhase;
  result: ToolResultBlock;
}

/**
 * Answers a select_category call itself (the seed's interceptSelectCategoryCalls): a category with tools gives
 * a result naming them; `answer` tells the model to reply now; an unknown category or bad JSON gives an error
 * result naming the valid ones, and the next round is a pick again.
 */
export function answerSelectCategory(
  call: ToolCallBlock,
  catalogue: readonly CatalogueTool[],
): CategorySelection {
  let category: unknown;
  try {
    category = (JSON.parse(call.arguments || "{}") as { category?: unknown }).category;
  } catch {
    category = undefined;
  }
  const offered = offeredCategories(catalogue);
  const picked = typeof category === "string" ? category.trim().toLowerCase() : undefined;
  const base = { type: "tool_result" as const, toolCallId: call.id, toolName: call.name };
  if (picked === undefined || !offered.includes(picked)) {
    const shown = typeof category === "string" ? `"${category}"` : "no category";
    return {
      phase: { kind: "pick" },
      result: {
        ...base,
        isError: true,
        content: `unknown category ${shown}. Pick one of: ${offered.join(", ")}.`,
      },
    };
  }
  if (picked === ANSWER) {
    return {
      phase: { kind: "answer" },
      result: { ...base, isError: false, content: "Write your answer now." },
    };
  }
  const names = stepTools(picked, catalogue).map((t) => t.name);
  return {
    phase: { kind: "call", category: picked },
    result: { ...base, isError: false, content: `Call one of: ${names.join(", ")}.` },
  };
}
