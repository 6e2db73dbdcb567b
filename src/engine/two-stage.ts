import type { ToolCallBlock, ToolResultBlock } from "../message/types.ts";
import type { ToolSchema } from "../provider/types.ts";
import { TOOL_CATEGORIES, type ToolCategory } from "../tool/types.ts";
import type { ArmHandle } from "./routing.ts";

/** Name of the synthetic category-selection tool (the seed's select_category). */
export const SELECT_CATEGORY = "select_category";

/** Windows at or below this size (tokens) get two-stage routing on a local arm (the seed's twoStageContextLimit). */
export const TWO_STAGE_CONTEXT_LIMIT = 16_384;

/** `auto` follows the arm; `on` forces it (`--two-stage`, `[router] force_two_stage`); `off` disables it. */
export type TwoStageSetting = "auto" | "on" | "off";

/**
 * Whether two-stage tool routing applies to a turn on `arm` (the seed's useTwoStageTools): forced on, or a local
 * arm whose context window is ≤ 16,384 tokens or unknown; never for cloud arms unless forced; `off` wins.
 */
export function twoStageApplies(setting: TwoStageSetting, arm: Pick<ArmHandle, "local" | "contextWindow">): boolean {
  if (setting === "off") return false;
  if (setting === "on") return true;
  if (!arm.local) return false;
  return arm.contextWindow === undefined || arm.contextWindow <= TWO_STAGE_CONTEXT_LIMIT;
}

/** The select_category schema: one required `category` enum. Its description is short on purpose. */
export function selectCategorySchema(): ToolSchema {
  return {
    name: SELECT_CATEGORY,
    description:
      "Pick the kind of tool you need next: read (read files, list dirs), write (create or edit files), " +
      "search (find files, grep), exec (run shell commands), meta (other). You can switch later.",
    inputSchema: {
      type: "object",
      properties: { category: { type: "string", enum: [...TOOL_CATEGORIES] } },
      required: ["category"],
    },
  };
}

/** The tools to offer in one round and the tool choice to send with them. */
export interface RoundTools {
  tools: ToolSchema[];
  toolChoice: "auto" | "required";
}

/**
 * Tools for a round under two-stage routing (the seed's buildRequest): with no category selected yet, only
 * select_category with tool choice `required`; afterwards that category's schemas plus select_category, so
 * the model can switch without aborting the turn.
 */
export function twoStageRoundTools(
  selected: ToolCategory | undefined,
  catalogue: readonly { schema: ToolSchema; category: ToolCategory }[],
): RoundTools {
  if (!selected) return { tools: [selectCategorySchema()], toolChoice: "required" };
  const tools = catalogue.filter((t) => t.category === selected).map((t) => t.schema);
  tools.push(selectCategorySchema());
  return { tools, toolChoice: "auto" };
}

/** The outcome of answering one select_category call. */
export interface CategorySelection {
  /** The selected category, or undefined when the call was invalid (next round is round-1 mode again). */
  category: ToolCategory | undefined;
  result: ToolResultBlock;
}

/**
 * Answers a select_category call itself (the seed's interceptSelectCategoryCalls): a valid category gives a
 * result listing the tools now available; an unknown category or bad JSON gives an error result naming the
 * valid categories, and resets the selection.
 */
export function answerSelectCategory(
  call: ToolCallBlock,
  catalogue: readonly { name: string; category: ToolCategory }[],
): CategorySelection {
  let category: unknown;
  try {
    category = (JSON.parse(call.arguments || "{}") as { category?: unknown }).category;
  } catch {
    category = undefined;
  }
  const valid = typeof category === "string" && (TOOL_CATEGORIES as readonly string[]).includes(category.trim().toLowerCase());
  const base = { type: "tool_result" as const, toolCallId: call.id, toolName: call.name };
  if (!valid) {
    const shown = typeof category === "string" ? `"${category}"` : "no category";
    return {
      category: undefined,
      result: {
        ...base,
        isError: true,
        content: `unknown category ${shown}. Pick one of: ${TOOL_CATEGORIES.join(", ")}.`,
      },
    };
  }
  const selected = (category as string).trim().toLowerCase() as ToolCategory;
  const names = catalogue.filter((t) => t.category === selected).map((t) => t.name);
  const list = names.length > 0 ? names.join(", ") : "(none in this category)";
  return {
    category: selected,
    result: {
      ...base,
      isError: false,
      content: `Category "${selected}" selected. Tools now available: ${list}. Call them directly next.`,
    },
  };
}
