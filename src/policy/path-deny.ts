import { matchGlob } from "./glob.ts";
import type { PermissionRule } from "./modes.ts";

/**
 * The path filter tools apply to where a call really goes (ToolContext.pathDenied): the reason the first deny rule
 * with a pattern, for a tool glob matching `tool`, refuses `rel` (workspace-relative, after symlinks), or undefined.
 * The permission policy matches deny rules against the path as written; this closes the ways around it: an
 * in-workspace symlink (`link → secrets/`) and a directory search that reads `secrets/*` files one by one. With
 * `root` (the real workspace root), a rule written with an absolute path (`/home/me/app/secrets/*`) matches too.
 */
export function pathDenyFilter(
  rules: readonly PermissionRule[],
  root?: string,
): (tool: string, rel: string) => string | undefined {
  const deny = rules.filter((rule) => rule.action === "deny" && rule.pattern !== undefined);
  return (tool, rel) => {
    const rule = deny.find(
      (r) =>
        matchGlob(r.tool, tool) &&
        [rel, `./${rel}`, ...(root ? [`${root}/${rel}`] : [])].some((form) => matchGlob(r.pattern!, form)),
    );
    return rule
      ? `denied by rule deny ${rule.tool} "${rule.pattern}" (the path resolves to ${rel})`
      : undefined;
  };
}
