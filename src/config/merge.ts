import { isTable } from "./expand.ts";

/**
 * Merges config layer `over` onto `base` (both raw, already validated TOML data) and returns a new object:
 * tables merge deeply, `arms` merge by `id` (a later entry's keys override an earlier entry with the same id,
 * new ids are appended), `permission.rules` and each `hooks.<Event>` list are appended, any other array or scalar is replaced.
 * As in gnoma's config layering (§10.4: arms merged by id, slices appended).
 */
export function mergeLayers(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  return mergeTables(base, over, []);
}

function mergeTables(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  path: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const here = [...path, key];
    const existing = out[key];
    const id = here.join(".");
    if (id === "arms" && Array.isArray(existing) && Array.isArray(value)) {
      out[key] = mergeArms(existing, value);
    } else if (
      (id === "permission.rules" || (path.length === 1 && path[0] === "hooks")) &&
      Array.isArray(existing) &&
      Array.isArray(value)
    ) {
      out[key] = [...existing, ...value];
    } else if (isTable(existing) && isTable(value)) {
      out[key] = mergeTables(existing, value, here);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function mergeArms(base: unknown[], over: unknown[]): unknown[] {
  const out = [...base];
  for (const arm of over) {
    const id = isTable(arm) ? arm.id : undefined;
    const index = out.findIndex((existing) => isTable(existing) && existing.id === id);
    const existing = out[index];
    if (index >= 0 && isTable(existing) && isTable(arm))
      out[index] = mergeTables(existing, arm, ["arms", "*"]);
    else out.push(arm);
  }
  return out;
}
