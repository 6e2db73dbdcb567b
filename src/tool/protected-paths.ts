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
  // owlet's own config and state: fs tools may never write them (see isOwletStatePath); a command naming them asks.
  { name: ".owlet/", regex: /(?:^|[\s/'"=:;,|&(<>`])\.owlet(?=$|[\s/'"`;,|&)<>])/ },
  { name: ".config/owlet/", regex: /\.config\/owlet(?=$|[\s/'"`;,|&)<>])/ },
];

/**
 * Files that hold secrets by name: reading them asks even for read-only tools (the permission policy), and a
 * directory search skips them. `.env` and its variants (`.env.local`, `.envrc`), SSH and other private keys,
 * certificates' keys (`*.pem`, `*.key`, `*.p12`, `*.pfx`), keystores, `.netrc`, `.npmrc`, `.pypirc`, cloud
 * credentials. Matched against one path (as written, or as it resolves) by its last components; sources: gitleaks'
 * and secretlint's lists of sensitive file names (secretlint-rule-no-dotenv, gitleaks' allowlist inverse).
 */
export const SENSITIVE_READ_PATTERNS: readonly { name: string; regex: RegExp }[] = [
  { name: ".env", regex: /(?:^|\/)\.env(?:rc)?(?:\.[^/]*)?$/i },
  { name: "private key", regex: /(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/ },
  { name: "key file", regex: /\.(?:pem|key|p12|pfx|jks|keystore|ppk|asc|gpg)$/i },
  {
    name: "credentials",
    regex:
      /(?:^|\/)(?:\.netrc|_netrc|\.npmrc|\.pypirc|\.pgpass|\.git-credentials|credentials(?:\.json)?|\.htpasswd)$/,
  },
  { name: ".ssh/", regex: /(?:^|\/)\.ssh\// },
  { name: ".gnupg/", regex: /(?:^|\/)\.gnupg\// },
  { name: ".aws/", regex: /(?:^|\/)\.aws\// },
  { name: ".docker/config.json", regex: /(?:^|\/)\.docker\/config\.json$/ },
];

/** The name of the first {@link SENSITIVE_READ_PATTERNS} entry `p` (a path, `/`-separated) matches, if any. */
export function findSensitiveFile(p: string): string | undefined {
  const normal = p.replace(/\\/g, "/").replace(/\/+$/, "");
  return SENSITIVE_READ_PATTERNS.find(({ regex }) => regex.test(normal))?.name;
}

/**
 * True when `rel` (a path relative to the workspace root, after symlinks) is owlet's own directory `.owlet` or
 * lies in it: its config (which may raise permissions in a trusted folder), sessions and saved tool output. No
 * tool writes there, in any mode.
 */
export function isOwletStatePath(rel: string): boolean {
  return rel === ".owlet" || rel.startsWith(".owlet/");
}

/** The name of the first sensitive pattern found in `text` (a path, a command, or JSON arguments), if any. */
export function findSensitiveTarget(text: string): string | undefined {
  return SENSITIVE_PATTERNS.find(({ regex }) => regex.test(text))?.name;
}
