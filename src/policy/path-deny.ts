import { matchGlob } from "./glob.ts";
import type { PermissionRule } from "./modes.ts";

/**
 * The path filter tools apply to where a call really goes (ToolContext.pathDenied): the reason the first deny rule
 * with a pattern, for a tool glob matching `tool`, refuses `rel` (workspace-relative, after symlinks), or undefined.
 * The permission policy matches deny rules against the path as written; this closes the ways around it: an
 * in-workspace symlink (`link → secrets/`) and a directory search that reads `secrets/*` files one by one.
 */
export function pathDenyFilter(
  rules: readonly PermissionRule[],
): (tool: string, rel: string) => string | undefined {
  const deny = rules.filter((rule) => rule.action === "deny" && rule.pattern !== undefined);
  return (tool, rel) => {
    const rule = deny.find(
      (r) => matchGlob(r.tool, tool) && (matchGlob(r.pattern!, rel) || matchGlob(r.pattern!, `./${rel}`)),
    );
    return rule
      ? `denied by rule deny ${rule.tool} "${rule.pattern}" (the path resolves to ${rel})`
      : undefined;
  };
}
