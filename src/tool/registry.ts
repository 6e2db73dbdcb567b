import type { ToolSchema } from "../provider/types.ts";
import { toolSchema } from "./schema.ts";
import type { Tool, ToolCategory } from "./types.ts";

/** Wire-name rule shared by the providers: `^[a-zA-Z0-9_-]{1,64}$`. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The set of tools offered to the model, keyed by wire name. Registering a name again replaces the
 * earlier tool (as in gnoma's tool.Registry). Schemas are computed once per registration.
 */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();
  readonly #schemas = new Map<string, ToolSchema>();

  /** Adds (or replaces) a tool. Throws `Error` when the name is not a valid wire name. */
  register(tool: Tool): void {
    if (!TOOL_NAME.test(tool.name)) {
      throw new Error(`Invalid tool name "${tool.name}": use 1-64 characters from [a-zA-Z0-9_-].`);
    }
    this.#tools.set(tool.name, tool);
    this.#schemas.set(tool.name, toolSchema(tool));
  }

  /** Removes the tool registered under `name` (an MCP server's tool it no longer lists); false when there was none. */
  unregister(name: string): boolean {
    this.#schemas.delete(name);
    return this.#tools.delete(name);
  }

  /** The tool registered under `name`, or undefined. */
  get(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  /** All tools, sorted by name. */
  all(): Tool[] {
    return [...this.#tools.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Tools of one category, sorted by name. */
  byCategory(category: ToolCategory): Tool[] {
    return this.all().filter((t) => t.category === category);
  }

  /** Schemas of all tools (sorted by name) that pass `filter` (all when omitted). */
  schemas(filter?: (tool: Tool) => boolean): ToolSchema[] {
    return this.all()
      .filter((t) => (filter ? filter(t) : true))
      .map((t) => this.#schemas.get(t.name)!);
  }
}
