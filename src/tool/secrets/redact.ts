import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import type { SecretLintCoreConfig } from "@secretlint/types";
import { findAssignedSecrets, findKeyBlocks, type SecretMatch } from "./extra-rules.ts";
import { findKnownSecrets } from "./known.ts";

/** What {@link redactSecrets} returns: the text with each secret replaced, how many, and by which rules. */
export interface Redaction {
  text: string;
  /** Secrets replaced. */
  count: number;
  /** The distinct rule names that matched, in order of first match. */
  rules: string[];
}

/**
 * secretlint's recommended preset (AWS, GCP, private keys, npm, basic auth, Slack, SendGrid, Shopify, Stripe,
 * GitHub, GitLab, Grafana, OpenAI, Anthropic, Groq, Hugging Face, Linear, Notion, 1Password, database connection
 * strings, Vault, Vercel, Databricks, Docker, Figma, Cloudflare, Tailscale), maintained upstream and used as data:
 * AWS access key IDs are scanned too (off by default upstream), and the `secretlint-disable` comment filter is off so
 * text cannot opt itself out of redaction.
 */
const CONFIG: SecretLintCoreConfig = {
  rules: [
    {
      id: recommended.meta.id,
      rule: recommended,
      rules: [
        { id: "@secretlint/secretlint-rule-aws", options: { enableIDScanRule: true } },
        { id: "@secretlint/secretlint-rule-filter-comments", disabled: true },
      ],
    },
  ],
};

/**
 * Lines worth scanning: a run of 20+ key characters (every token format the rules know is at least that long; found
 * by a character loop, see candidateLines), credentials in a URL (`scheme://user:pass@`), a private-key armour line,
 * or a key-like name (KEYWORDS). Everything else (most lines of code and prose) cannot hold a secret the rules match,
 * and skipping it keeps a 64 KiB result in budget; gitleaks prefilters on keywords for the same reason.
 */
const KEYWORDS = /key|secret|token|passw|pwd|credential|auth|:\/\/[^\s/@]*:[^\s/]*@/gi;
/** Shortest run of key characters that makes a line a candidate. */
const MIN_RUN = 20;

/** Below this share of candidate lines the scan runs on those lines only. */
const FILTER_RATIO = 0.6;

/**
 * Replaces every secret in `text` with `[REDACTED:<rule>]`: the matches of secretlint's recommended rules (rule
 * names without the `@secretlint/secretlint-rule-` prefix: `aws`, `github`, `privatekey`, …) plus high-entropy
 * values assigned to key-like names (`generic-secret`, see findAssignedSecrets) and private key blocks in any
 * layout (see findKeyBlocks), and every occurrence of a value registered with registerKnownSecrets (the provider
 * keys and secret environment values owlet holds, in any format). Only lines that could hold a secret
 * are scanned (see candidateLines); overlapping matches are merged into one. Never throws: a rule engine failure leaves
 * the rule-based part out (the entropy check still runs).
 */
export async function redactSecrets(text: string): Promise<Redaction> {
  if (text.length < 8) return { text, count: 0, rules: [] };
  const matches: SecretMatch[] = findKnownSecrets(text);
  const view = candidateView(text);
  if (view.text === "") return apply(text, matches);
  try {
    const result = await lintSource({
      source: { content: view.text, filePath: "tool-output.txt", ext: ".txt", contentType: "text" },
      options: { config: CONFIG, noPhysicFilePath: true },
    });
    for (const message of result.messages) {
      const [start, end] = message.range;
      matches.push({
        start: view.toOriginal(start),
        end: view.toOriginal(end),
        rule: shortRule(message.ruleId),
      });
    }
  } catch {
    // the entropy rule below still applies
  }
  for (const m of [...findAssignedSecrets(view.text), ...findKeyBlocks(view.text)])
    matches.push({ start: view.toOriginal(m.start), end: view.toOriginal(m.end), rule: m.rule });
  return apply(text, matches);
}

function shortRule(ruleId: string): string {
  return ruleId.replace(/^@secretlint\/secretlint-rule-/, "");
}

/** Merges overlapping matches (the earliest rule names the merged one) and replaces them, right to left. */
function apply(text: string, matches: SecretMatch[]): Redaction {
  if (matches.length === 0) return { text, count: 0, rules: [] };
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretMatch[] = [];
  for (const m of matches) {
    const last = merged.at(-1);
    if (last && m.start < last.end) last.end = Math.max(last.end, m.end);
    else merged.push({ ...m });
  }
  let out = "";
  let from = 0;
  const rules: string[] = [];
  for (const m of merged) {
    out += `${text.slice(from, m.start)}[REDACTED:${m.rule}]`;
    from = m.end;
    if (!rules.includes(m.rule)) rules.push(m.rule);
  }
  out += text.slice(from);
  return { text: out, count: merged.length, rules };
}

/** The text to scan and a map from its offsets back to `text`'s. */
interface CandidateView {
  text: string;
  toOriginal(offset: number): number;
}

/** True for the characters keys are made of: `A-Z a-z 0-9 + / = _ ~ . -`. */
function isKeyChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 43 || // +
    c === 47 || // /
    c === 61 || // =
    c === 95 || // _
    c === 126 || // ~
    c === 46 || // .
    c === 45 // -
  );
}

/**
 * Line starts of `text` and which lines are candidates (see KEYWORDS, MIN_RUN), in one pass over the characters
 * plus one global regex: linear, about 0.3 ms for 64 KiB.
 */
function candidateLines(text: string): { starts: number[]; candidate: boolean[] } {
  const starts = [0];
  const candidate = [false];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      starts.push(i + 1);
      candidate.push(false);
      run = 0;
    } else if (isKeyChar(c)) {
      if (++run === MIN_RUN) candidate[candidate.length - 1] = true;
    } else {
      run = 0;
    }
  }
  let line = 0;
  for (const m of text.matchAll(KEYWORDS)) {
    while (line + 1 < starts.length && starts[line + 1]! <= m.index!) line++;
    candidate[line] = true;
  }
  return { starts, candidate };
}

/**
 * The candidate lines of `text` (see candidateLines) joined by newlines, with every other line left empty so line
 * structure survives; when most lines are candidates, `text` itself; "" when none is.
 */
function candidateView(text: string): CandidateView {
  const { starts, candidate } = candidateLines(text);
  const kept = candidate.filter(Boolean).length;
  if (kept === 0) return { text: "", toOriginal: (o) => o };
  if (kept / candidate.length > FILTER_RATIO) return { text, toOriginal: (o) => o };
  const filteredStarts: number[] = [];
  const originalStarts: number[] = [];
  const parts: string[] = [];
  let filteredLength = 0;
  for (let i = 0; i < starts.length; i++) {
    if (candidate[i]) {
      const end = i + 1 < starts.length ? starts[i + 1]! - 1 : text.length;
      const line = text.slice(starts[i]!, end);
      filteredStarts.push(filteredLength);
      originalStarts.push(starts[i]!);
      parts.push(line);
      filteredLength += line.length + 1;
    } else {
      parts.push("");
      filteredLength += 1;
    }
  }
  const filtered = parts.join("\n");
  return {
    text: filtered,
    toOriginal(offset) {
      // the last kept line starting at or before `offset`
      let lo = 0;
      let hi = filteredStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (filteredStarts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return originalStarts[lo]! + (offset - filteredStarts[lo]!);
    },
  };
}
