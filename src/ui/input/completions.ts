import type { CommandRegistry } from "../commands/registry.ts";
import type { CommandHost } from "../commands/types.ts";
import { type EditorState, editorWith } from "./editor.ts";
import { acceptMention, completePath, mentionAt } from "./mentions.ts";

/** One completion: what the menu shows and the editor it leads to. */
export interface Completion {
  label: string;
  detail?: string;
  result: EditorState;
}

/** The completion menu for the editor as it is: slash commands, a command's argument, or an `@path`. */
export interface CompletionMenu {
  kind: "command" | "argument" | "path";
  items: Completion[];
}

/**
 * What Tab could complete: while the line is `/partial` the commands starting with it (with their summaries);
 * after `/command ` its arguments (when it completes them); with the cursor in an `@mention` the paths under
 * `cwd`. Undefined when nothing applies.
 */
export function completionsFor(
  state: EditorState,
  registry: CommandRegistry,
  host: CommandHost,
): CompletionMenu | undefined {
  const text = state.text;
  const command = /^\/([\w:-]*)$/.exec(text);
  if (command && state.cursor === text.length) {
    const items = registry.complete(command[1]!).map((c) => ({
      label: `/${c.name}`,
      detail: c.summary,
      result: editorWith(`/${c.name}${c.usage ? " " : ""}`),
    }));
    return items.length > 0 ? { kind: "command", items } : undefined;
  }
  const withArgs = /^\/([\w:-]+)\s+(\S*)$/.exec(text);
  if (withArgs && state.cursor === text.length) {
    const found = registry.find(withArgs[1]!);
    const args = found?.completeArgs?.(host, withArgs[2]!) ?? [];
    const items = args
      .filter((a) => a !== withArgs[2])
      .slice(0, 8)
      .map((a) => ({ label: a, result: editorWith(`/${withArgs[1]} ${a}`) }));
    return items.length > 0 ? { kind: "argument", items } : undefined;
  }
  const mention = mentionAt(state);
  if (mention) {
    const items = completePath(host.cwd, mention.query).map((p) => ({
      label: `@${p}`,
      result: acceptMention(state, mention, p),
    }));
    return items.length > 0 ? { kind: "path", items } : undefined;
  }
  return undefined;
}
