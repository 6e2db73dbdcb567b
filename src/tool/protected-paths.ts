/**
 * Paths that always need a human's say-so before a non-read-only tool touches them, even in bypass mode
 * (gnoma's bypass-immune safety patterns, §7.1: `.env`, `.git/`, `.ssh/`, `id_rsa`, `id_ed25519`, `.gnupg/`,
 * `.aws/credentials`). gnoma matches substrings; owlet anchors the dot-names at a path or word boundary so that
 * `.gitignore` or `process.env` do not trigger, and also catches the bare directories (`rm -rf .git`).
 *
 * The permission policy (src/policy/safety.ts) matches them against the text of a call's arguments; the list lives
 * in the tool layer so the workspace guard can also match the path a write resolves to after symlinks, which the
 * policy never sees (see WorkspaceGuard.resolveWrite).
 */
export const SENSITIVE_PATTERNS: readonly { name: string; regex: RegExp }[] = [
  { name: ".env", regex: /(?:^|[\s/'"=:;,|&(<>`])\.env/ },
  { name: ".git/", regex: /(?:^|[\s/'"=:;,|&(<>`])\.git(?=$|[\s/'"`;,|&)<>])/ },
  { name: ".ssh/", regex: /(?:^|[\s/'"=:;,|&(<>`])\.ssh(?=$|[\s/'"`;,|&)<>])/ },
  { name: ".gnupg/", regex: /(?:^|[\s/'"=:;,|&(<>`])\.gnupg(?=$|[\s/'"`;,|&)<>])/ },
  { name: "id_rsa", regex: /id_rsa/ },
  { name: "id_ed25519", regex: /id_ed25519/ },
  { name: ".aws/credentials", regex: /\.aws\/credentials/ },
];

/** The name of the first sensitive pattern found in `text` (a path, a command, or JSON arguments), if any. */
export function findSensitiveTarget(text: string): string | undefined {
  return SENSITIVE_PATTERNS.find(({ regex }) => regex.test(text))?.name;
}
