import type { SlashCommand } from "./types.ts";

/** A parsed `/name args` line. */
export interface SlashLine {
  name: string;
  args: string;
}

/** `/name args…` → its name (lower-cased) and the rest, trimmed; undefined when `line` is not a slash command. */
export function parseSlashLine(line: string): SlashLine | undefined {
  const m = /^\/([A-Za-z][\w:-]*)(?:\s+([\s\S]*))?$/.exec(line.trim());
  if (!m) return undefined;
  return { name: m[1]!.toLowerCase(), args: (m[2] ?? "").trim() };
}

/**
 * The slash commands of the interactive UI, by name and alias. Registering a name again replaces the earlier
 * command (so a project's custom command can shadow a built-in one deliberately).
 */
export class CommandRegistry {
  private readonly byName = new Map<string, SlashCommand>();

  /** Adds (or replaces) `command`. Throws when its name is not lower-case letters, digits, `-`, `_` or `:`. */
  register(command: SlashCommand): this {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      if (!/^[a-z][\w:-]*$/.test(name)) throw new Error(`invalid slash command name "/${name}"`);
      this.byName.set(name, command);
    }
    return this;
  }

  /** Removes the command registered under `name` (its name, not an alias); nothing when there is none. */
  unregister(name: string): void {
    const command = this.byName.get(name);
    if (!command || command.name !== name) return;
    for (const n of [command.name, ...(command.aliases ?? [])])
      if (this.byName.get(n) === command) this.byName.delete(n);
  }

  /** The command named (or aliased) `name`, or undefined. */
  find(name: string): SlashCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Every command once, sorted by name. */
  all(): SlashCommand[] {
    return [...new Set(this.byName.values())].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Commands whose name (or an alias) starts with `prefix` (no slash), sorted by name. */
  complete(prefix: string): SlashCommand[] {
    const p = prefix.toLowerCase();
    return this.all().filter((c) => [c.name, ...(c.aliases ?? [])].some((n) => n.startsWith(p)));
  }
}
