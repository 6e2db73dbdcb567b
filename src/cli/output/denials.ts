import type { PermissionDenial } from "../../engine/turn-result.ts";

/** Tools whose calls `--permission-mode accept_edits` allows (the rest need a rule or bypass). */
const EDIT_TOOLS = new Set(["fs_edit", "fs_write"]);

/**
 * One line naming what was denied and what would allow it, e.g. `denied: fs_edit math.js, bash "node test.js"
 * (no terminal to ask). Allow edits with --permission-mode accept_edits; commands with an allow rule
 * ([[permission.rules]] tool = "bash", pattern = "node test.js") or --permission-mode bypass.`
 */
export function describeDenials(denials: readonly PermissionDenial[]): string {
  const shown = denials.map((d) => `${d.toolName} ${mainArgument(d.toolInput)}`.trim());
  const unique = [...new Set(shown)];
  const hints: string[] = [];
  if (denials.some((d) => EDIT_TOOLS.has(d.toolName))) hints.push("edits with --permission-mode accept_edits");
  const other = denials.find((d) => !EDIT_TOOLS.has(d.toolName));
  if (other) {
    const pattern = mainArgument(other.toolInput).replace(/^"|"$/g, "");
    hints.push(
      `${other.toolName} calls with an allow rule ([[permission.rules]] tool = "${other.toolName}"${pattern ? `, pattern = "${pattern}"` : ""}, action = "allow") or --permission-mode bypass`,
    );
  }
  return `denied ${unique.length === 1 ? "1 call" : `${denials.length} calls`}: ${unique.join(", ")}. Allow ${hints.join("; ")}.`;
}

/** The argument a user recognises a call by: bash's command (quoted), a path, else nothing. */
function mainArgument(input: unknown): string {
  if (input === null || typeof input !== "object") return "";
  const o = input as Record<string, unknown>;
  if (typeof o.command === "string") return `"${o.command.length > 60 ? `${o.command.slice(0, 57)}...` : o.command}"`;
  if (typeof o.path === "string") return o.path;
  return "";
}
