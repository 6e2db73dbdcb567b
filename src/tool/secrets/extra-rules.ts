import { shannonEntropy } from "./entropy.ts";

/** A secret found in a text: `[start, end)` in UTF-16 code units, and the rule that found it. */
export interface SecretMatch {
  start: number;
  end: number;
  rule: string;
}

/**
 * Names that hold secrets when something is assigned to them (`API_KEY=`, `"client_secret":`, `password:`), as in
 * gitleaks' generic-api-key rule (its keyword list: key, api, token, secret, client, passwd, password, auth, access).
 * Linear time: a name starts only where a word starts (the lookbehind) and is at most ~80 characters, so a long
 * run of word characters (a base64 blob) costs a bounded amount per run, not per position.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{0,40}?(?:key|secret|token|passw(?:or)?d|pwd|credential|auth)[A-Za-z0-9_.-]{0,40})(["']?)[ \t]*(?::=|=>|=|:)[ \t]*(["'`]?)([^\s"'`,;\0]+)\3/gi;
/** Bits per character above which an assigned value counts as random (gitleaks' generic-api-key uses 3.5). */
const KEY_ENTROPY = 3.5;
/** Passwords are chosen by people and less random; still, a word list entry or a placeholder should not match. */
const PASSWORD_ENTROPY = 3.0;
/** Values that are code or configuration, not secrets: references, calls, types, paths, placeholders. */
const NOT_A_SECRET =
  /^(?:\$|%|\{|\[|<|\(|process\.env|os\.environ|env\.|self\.|this\.|true$|false$|null$|none$|undefined$|string$|number$)|[()]|^[a-z_]+$|^[A-Z_]+$|^(?:x+|\*+|\.+|changeme|password|secret|example|placeholder|redacted)$/i;

/**
 * Assignments of a high-entropy value to a key-like name (see ASSIGNMENT): `GITHUB_TOKEN=ab12…`,
 * `"client_secret": "…"`, `password = "…"`. Only the value is reported, as rule `generic-secret`. Values under
 * 8 characters (passwords) or 16 (other names), below the entropy threshold, or that look like code
 * (NOT_A_SECRET), or that are already redacted, are left alone.
 */
export function findAssignedSecrets(text: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    const name = m[1]!;
    const value = m[4]!;
    if (value.startsWith("[REDACTED")) continue;
    const password = /passw|pwd/i.test(name);
    if (value.length < (password ? 8 : 16)) continue;
    if (NOT_A_SECRET.test(value)) continue;
    if (shannonEntropy(value) < (password ? PASSWORD_ENTROPY : KEY_ENTROPY)) continue;
    const start = m.index! + m[0].length - m[3]!.length - value.length;
    out.push({ start, end: start + value.length, rule: "generic-secret" });
  }
  return out;
}

/**
 * A private key's armour and everything up to its END line (or the end of the text, for a cut-off key), whatever
 * lies between: secretlint's privatekey rule only matches a clean base64 body, which a numbered fs_read listing
 * (`     5\tMIIE…`) or a truncated output is not. Reported as rule `privatekey`.
 */
const KEY_BLOCK =
  /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,20000}?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/** Private key blocks in `text` (see KEY_BLOCK). */
export function findKeyBlocks(text: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  for (const m of text.matchAll(KEY_BLOCK))
    out.push({ start: m.index!, end: m.index! + m[0].length, rule: "privatekey" });
  return out;
}
