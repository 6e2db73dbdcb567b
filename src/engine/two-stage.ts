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
export function twoStageApplies(
  setting: TwoStageSetting,
  arm: Pick<ArmHandle, "local" | "contextWindow">,
): boolean {
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

/** Per-round two-stage state beyond the selection itself. */
export interface TwoStageRoundState {
  /** A category was just selected and no real tool has run since: the model must call a tool now. */
  justSelected: boolean;
  /** The model re-selected the category it already had: select_category is withheld this round. */
  reselected: boolean;
}

/**
 * Tools for a round under two-stage routing (the seed's buildRequest): with no category selected yet, only
 * select_category with tool choice `required`; afterwards that category's schemas plus select_category, so
 * the model can switch without aborting the turn.
 *
 * Beyond the seed, for small models that stall: in the round right after a selection the tool choice is
 * `required` (the model has just said it wants a tool of that category; given an optional tool, small models
 * ramble instead), and when the model re-selects the category it already has, select_category is left out of
 * that round so the forced call must be a real tool. Once a real tool has answered, the choice is `auto`
 * again so the model can end its turn with text.
 */
export function twoStageRoundTools(
  selected: ToolCategory | undefined,
  catalogue: readonly { schema: ToolSchema; category: ToolCategory }[],
  state: TwoStageRoundState = { justSelected: false, reselected: false },
): RoundTools {
  if (!selected) return { tools: [selectCategorySchema()], toolChoice: "required" };
  const tools = catalogue.filter((t) => t.category === selected).map((t) => t.schema);
  if (tools.length === 0) return { tools: [selectCategorySchema()], toolChoice: "required" };
  if (!state.reselected) tools.push(selectCategorySchema());
  return { tools, toolChoice: state.justSelected ? "required" : "auto" };
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
  const valid =
    typeof category === "string" &&
    (TOOL_CATEGORIES as readonly string[]).includes(category.trim().toLowerCase());
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
