import type { Classifier, Priority, Task, TaskType } from "../task.ts";

/**
 * Keyword heuristic classifier, after gnoma's `ClassifyTask` (reference §2.2), with two changes measured on
 * test/data/router/prompts.jsonl (see bench/classifier.ts):
 * - keywords match whole words (or word stems), not substrings, so "latest" is not a test and "prefix"
 *   is not a fix;
 * - instead of "first keyword in a fixed cascade wins", every type collects points (each matched keyword's
 *   weight, +1.5 when the match sits in the prompt's first four words, where the imperative verb usually
 *   is; +0.5 for the generic generation verbs); the highest total wins and gnoma's cascade order breaks
 *   ties. Default: generation. Symptom phrases ("does nothing", "times out", "shows wrong") count as debug.
 * Complexity, the per-type floors and the trivial-prompt override are gnoma's.
 */

/**
 * Keyword patterns per type: regex source (matched case-insensitively at word boundaries), optionally with a
 * weight (default 1). Strong, specific signals weigh 2; the generic generation verbs weigh 1 and get a
 * smaller leading-position bonus, since generation is also the default.
 */
const KEYWORDS: Record<TaskType, (string | [string, number])[]> = {
  security_review: [
    "security",
    "secure",
    "insecure",
    ["vulnerab\\w*", 2],
    "cve(-\\d+)?",
    "owasp",
    "xss",
    "csrf",
    "ssrf",
    "injection",
    "exploit\\w*",
    ["saniti[sz]\\w*", 2],
    "secrets?",
    "credentials?",
    "threat model\\w*",
    "pen ?test\\w*",
    "attack\\w*",
    "leak\\w*",
    "auth(entication|orization)? bypass",
    "privilege escalation",
    ["path traversal", 2],
    "hardcoded (key|password|token)s?",
    ["cves", 2],
    ["passwords?", 2],
    ["session tokens?", 2],
    ["safe against", 2],
    ["abused?", 2],
    ["redos", 2],
    ["open redirects?", 2],
    ["brute[- ]force", 2],
    ["personal data", 2],
  ],
  debug: [
    "debug\\w*",
    "fix\\w*",
    "bug\\w*",
    "broken",
    "not working",
    "doesn'?t work",
    "does not work",
    "errors?",
    "exceptions?",
    ["crash\\w*", 2],
    ["fail\\w*", 2],
    "troubleshoot\\w*",
    "stack ?trace",
    "traceback",
    "regression",
    "panics?",
    "hangs?",
    "segfault\\w*",
    "wrong (output|result|value)s?",
    "investigate",
    "why (is|does|do|are) .{0,40}(fail|break|crash|wrong|slow|empty|null|undefined|nan)\\w*",
    "typeerror",
    "undefined is not",
    "flaky",
    "off[- ]by[- ]one",
    ["does nothing", 2],
    ["nothing happens", 2],
    ["(is|are|shows?|returns?) wrong", 2],
    "wrong",
    "twice",
    ["one day off", 2],
    ["figure out (why|what)", 2],
    ["track (it |this )?down", 2],
    ["times? out", 2],
    ["(doesn'?t|does not|don'?t|won'?t|can'?t|isn'?t|not) (work|load|start|show|save|compile|run)\\w*", 2],
    "missing",
    "killed",
    "throws?",
    "overwritten",
    "in a loop",
    ["slow", 1],
    "memory leak",
    "race condition",
  ],
  review: [
    "review\\w*",
    "audit\\w*",
    "inspect\\w*",
    "critique",
    "feedback",
    "look over",
    "code quality",
    "analy[sz]e",
    "assess\\w*",
    "evaluate",
    "pull request",
    "pr",
    "sanity[- ]check",
    "any issues",
    "anything wrong",
    "is this (code )?(ok|okay|correct|good|idiomatic)",
    "smells?",
    "check (whether|if|that)",
    "correct(ly|ness)?",
    "leave comments",
  ],
  refactor: [
    "refactor\\w*",
    "restructur\\w*",
    "clean ?up",
    "cleanup",
    "simplif\\w*",
    "extract\\w*",
    "renam\\w*",
    "reorgani[sz]\\w*",
    "dedup\\w*",
    "deduplicat\\w*",
    "split .{0,30} into",
    "move .{0,40} (to|into)",
    "moderni[sz]\\w*",
    "decoupl\\w*",
    "inline",
    "dry",
    "tidy",
    "convert .{0,40} to",
    "replace .{0,40} with",
    "migrate .{0,40} (to|from)",
    "readab\\w*",
    ["(more|less) (readable|maintainable|idiomatic)", 2],
    "instead of",
    "to use",
  ],
  unit_test: [
    "unit tests?",
    "tests?",
    "specs?",
    "coverage",
    "assert\\w*",
    "test cases?",
    "vitest",
    "jest",
    "pytest",
    "mocha",
    "mock\\w*",
    "fixtures?",
    "property[- ]based",
    "snapshot tests?",
    "edge cases",
  ],
  explain: [
    "explain\\w*",
    "what is",
    "what are",
    "what does",
    "what's",
    "how does",
    "how do",
    "how is",
    "describe",
    "tell me about",
    "walk me through",
    "why does",
    "why is",
    "understand\\w*",
    "meaning of",
    "summari[sz]e",
    "overview",
    "difference between",
    "where is",
    "where are",
    ["what does .{0,40} mean", 2],
    "which file",
  ],
  planning: [
    "plan\\w*",
    "design\\w*",
    "architect\\w*",
    "roadmap",
    "strategy",
    "approach(es)?",
    "propos\\w*",
    "outline",
    "break (it |this )?down",
    "milestones?",
    ["trade-?offs?", 2],
    "sketch",
    "data model",
    "rfc",
    "adr",
    "how should (we|i)",
    "steps to",
    "phases?",
  ],
  orchestration: [
    "orchestrat\\w*",
    "coordinat\\w*",
    "dispatch\\w*",
    "pipelines?",
    "fan out",
    "fan-out",
    "subtasks?",
    "sub-agents?",
    "subagents?",
    "delegat\\w*",
    "spawn\\w*",
    "in parallel",
    "paralleli[sz]e",
    ["agents?", 2],
    "workers",
    ["one agent per", 2],
    ["per (service|package|repo|module)", 2],
    ["multi-step", 2],
    "workflow",
    "across all",
    "each (of the )?(repo|repositor|package|service)\\w*",
    "across (all )?(the )?(repos|repositories|packages|services)",
  ],
  generation: [
    "create",
    "implement\\w*",
    "build",
    "add",
    "write",
    "generate",
    "make",
    "develop",
    "new (endpoint|feature|function|command|component|module|class|page|route)",
    "support for",
    "port",
  ],
  boilerplate: [
    "boilerplate",
    "scaffold\\w*",
    "skeleton",
    "templates?",
    "stubs?",
    "starter",
    "set ?up",
    "init",
    "gitignore",
    "\\.gitignore",
    "dockerfile",
    "docker-compose",
    "config files?",
    "package\\.json",
    "tsconfig",
    "license",
    "getters?",
    "setters?",
    "dtos?",
    "crud",
    "barrel",
    "editorconfig",
    "makefile",
    "github actions? workflow",
    "ci (config|workflow|pipeline)",
    "pyproject\\.toml",
    ["empty (\\w+ )?(files?|migrations?)", 2],
    "configured",
  ],
};

/** gnoma's cascade order (reference §2.2), used to break ties. */
const CASCADE: TaskType[] = [
  "security_review",
  "debug",
  "review",
  "refactor",
  "unit_test",
  "explain",
  "planning",
  "orchestration",
  "generation",
  "boilerplate",
];

const PATTERNS: Record<TaskType, { re: RegExp; weight: number }[]> = Object.fromEntries(
  CASCADE.map((t) => [
    t,
    KEYWORDS[t].map((k) => {
      const [src, weight] = typeof k === "string" ? [k, 1] : k;
      return { re: new RegExp(`(?<![\\w.-])${src}(?![\\w-])`, "gi"), weight };
    }),
  ]),
) as Record<TaskType, { re: RegExp; weight: number }[]>;

/** Extra points for a match among the prompt's first four words (smaller for the generic generation verbs). */
const LEAD_BONUS = 1.5;
const GENERATION_LEAD_BONUS = 0.5;

/** Complexity words, gnoma's lists (reference §2.2) plus a few of ours (marked). */
const COMPLEX =
  /\b(implement\w*|design\w*|architect\w*|system|integration|migrat\w*|optimi[sz]\w*|concurren\w*|distributed|end-to-end|across the codebase|multiple files|entire)\b/gi;
const SIMPLE = /\b(rename|format|add field|change name|typo|simple|quick|small|one-line|trivial)\b/gi;

/** Per-type complexity floor (reference §2.2). */
export const FLOOR: Partial<Record<TaskType, number>> = {
  security_review: 0.6,
  orchestration: 0.6,
  refactor: 0.4,
  planning: 0.4,
  debug: 0.4,
  unit_test: 0.35,
  review: 0.35,
};

/** Whole-word tool tokens that keep `requiresTools` on for short prompts (reference §2.2). */
const TOOL_TOKENS =
  /\b(read|write|edit|create|delete|remove|list|find|search|grep|open|save|run|execute|compile|build|tests?|install|commit|push|pull|diff|files?)\b/i;

const URGENT = /\b(urgent\w*|asap|outage|prod(uction)? (is )?down|hotfix|critical)\b/i;

/** Points each type scored on `prompt`, for tests and `--verbose`. */
export function keywordScores(prompt: string): Record<TaskType, number> {
  const text = prompt.toLowerCase();
  const leadEnd = leadingSpan(text);
  const scores = {} as Record<TaskType, number>;
  for (const t of CASCADE) {
    let points = 0;
    const bonus = t === "generation" ? GENERATION_LEAD_BONUS : LEAD_BONUS;
    for (const { re, weight } of PATTERNS[t]) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) points += weight + (m.index < leadEnd ? bonus : 0);
    }
    scores[t] = points;
  }
  return scores;
}

/** Character offset where the prompt's first four words end (politeness words skipped). */
function leadingSpan(text: string): number {
  const lead =
    /^\s*((please|can you|could you|would you|hey|ok|okay|so|now|then|also|i need you to|i want you to|let's|lets)[\s,]+)*/.exec(
      text,
    );
  const start = lead ? lead[0].length : 0;
  const words = /(\S+\s*){1,4}/.exec(text.slice(start));
  return start + (words ? words[0].length : 0);
}

/**
 * Classifies `prompt` with keywords. Pure and synchronous; never throws.
 * Complexity = words/200 + 0.15 per complex word − 0.15 per simple word, clamped to [0, 1], then raised
 * to the type's floor; the trivial-prompt override (explain/generation/boilerplate, complexity ≤ 0.15,
 * ≤ 12 words, no tool word) and `explain` clear `requiresTools` (all as in gnoma, reference §2.2).
 */
export function classifyHeuristic(prompt: string): Task {
  const scores = keywordScores(prompt);
  let type: TaskType = "generation";
  let best = 0;
  for (const t of CASCADE) {
    if (scores[t] > best) {
      best = scores[t];
      type = t;
    }
  }
  // A review with a strong security signal is a security review (the specialised kind of review).
  if (type === "review" && scores.security_review >= 2) type = "security_review";
  const words = prompt.trim().split(/\s+/).filter(Boolean).length;
  const complexHits = prompt.match(COMPLEX)?.length ?? 0;
  const simpleHits = prompt.match(SIMPLE)?.length ?? 0;
  let complexity = clamp01(words / 200 + 0.15 * complexHits - 0.15 * simpleHits);
  complexity = Math.max(complexity, FLOOR[type] ?? 0);

  let requiresTools = type !== "explain";
  if (
    (type === "explain" || type === "generation" || type === "boilerplate") &&
    complexity <= 0.15 &&
    words <= 12 &&
    !TOOL_TOKENS.test(prompt)
  ) {
    requiresTools = false;
  }
  // Explaining code in the workspace needs reads; a bare concept question does not.
  if (
    type === "explain" &&
    /[\w-]+\.(ts|js|py|go|rs|java|c|h|cpp|md|json|toml|ya?ml)\b|\b(this|our|the) (code|repo|project|file|function|module)\b/i.test(
      prompt,
    )
  ) {
    requiresTools = true;
  }

  let priority: Priority = "normal";
  if (type === "security_review" || type === "orchestration") priority = "high";
  if (URGENT.test(prompt)) priority = "high";

  const reason =
    best > 0
      ? `keywords: ${CASCADE.filter((t) => scores[t] > 0)
          .map((t) => `${t}=${scores[t]}`)
          .join(" ")}`
      : "no keyword matched; default generation";
  return { type, complexity: round2(complexity), requiresTools, priority, source: "heuristic", reason };
}

/** The heuristic as a `Classifier`. */
export class HeuristicClassifier implements Classifier {
  async classify(prompt: string): Promise<Task> {
    return classifyHeuristic(prompt);
  }
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
