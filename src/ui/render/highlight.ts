/**
 * Syntax highlighting for code blocks: highlight.js (its core, with only the languages a block names loaded on
 * first use, so start-up pays nothing) → runs of text with a colour name for Ink's `<Text color>`.
 */
import { createRequire } from "node:module";

/** A run of highlighted text; `color` is an Ink colour name, absent for plain text. */
export interface Segment {
  text: string;
  color?: string;
  dim?: boolean;
}

interface HljsCore {
  registerLanguage(name: string, language: unknown): void;
  getLanguage(name: string): unknown;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
}

/** A fence's language name → the highlight.js language module that serves it. */
const LANGUAGE_MODULES: Record<string, string> = {
  ts: "typescript",
  tsx: "typescript",
  typescript: "typescript",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  javascript: "javascript",
  json: "json",
  jsonc: "json",
  sh: "bash",
  bash: "bash",
  shell: "bash",
  zsh: "bash",
  console: "bash",
  py: "python",
  python: "python",
  go: "go",
  rs: "rust",
  rust: "rust",
  java: "java",
  kt: "kotlin",
  kotlin: "kotlin",
  c: "c",
  h: "c",
  cpp: "cpp",
  cc: "cpp",
  hpp: "cpp",
  "c++": "cpp",
  cs: "csharp",
  csharp: "csharp",
  rb: "ruby",
  ruby: "ruby",
  php: "php",
  diff: "diff",
  patch: "diff",
  yaml: "yaml",
  yml: "yaml",
  toml: "ini",
  ini: "ini",
  md: "markdown",
  markdown: "markdown",
  css: "css",
  html: "xml",
  xml: "xml",
  sql: "sql",
  swift: "swift",
  lua: "lua",
  makefile: "makefile",
  make: "makefile",
  dockerfile: "dockerfile",
};

/** highlight.js classes → colours (the usual terminal theme: keywords magenta, strings green, …). */
const CLASS_COLORS: Record<string, Segment["color"] | "dim"> = {
  keyword: "magenta",
  built_in: "cyan",
  type: "cyan",
  literal: "yellow",
  number: "yellow",
  string: "green",
  regexp: "red",
  symbol: "yellow",
  comment: "dim",
  doc: "dim",
  meta: "dim",
  title: "blue",
  "title.function": "blue",
  "title.class": "cyan",
  function: "blue",
  attr: "yellow",
  attribute: "yellow",
  variable: "red",
  "template-variable": "red",
  tag: "blue",
  name: "blue",
  selector: "magenta",
  addition: "green",
  deletion: "red",
  section: "blue",
  bullet: "yellow",
  subst: undefined,
  params: undefined,
  property: "cyan",
};

const require = createRequire(import.meta.url);
let core: HljsCore | undefined;

function hljs(): HljsCore {
  core ??= require("highlight.js/lib/core") as HljsCore;
  return core;
}

/** The highlight.js language for a fence name (loading it once), or undefined when none serves it. */
function languageFor(fence: string): string | undefined {
  const module = LANGUAGE_MODULES[fence.toLowerCase()];
  if (!module) return undefined;
  const h = hljs();
  if (!h.getLanguage(module)) {
    try {
      h.registerLanguage(module, require(`highlight.js/lib/languages/${module}`));
    } catch {
      return undefined;
    }
  }
  return module;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, e: string) => ENTITIES[e]!);

/**
 * `code` split into coloured runs for the language `fence` names (a code block's info string). An unknown
 * language, or highlight.js failing, gives one plain run; `enabled` false (NO_COLOR) too.
 */
export function highlightCode(code: string, fence: string, enabled = true): Segment[] {
  const language = enabled && fence ? languageFor(fence) : undefined;
  if (!language) return [{ text: code }];
  let html: string;
  try {
    html = hljs().highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return [{ text: code }];
  }
  const out: Segment[] = [];
  const stack: (string | undefined)[] = [];
  for (const m of html.matchAll(/<span class="([^"]+)">|<\/span>|([^<]+)/g)) {
    if (m[1] !== undefined) {
      const cls = m[1]
        .replace(/^hljs-/, "")
        .replace(/ .*$/, "")
        .replace(/_$/, "");
      stack.push(cls in CLASS_COLORS ? (CLASS_COLORS[cls] ?? stack.at(-1)) : stack.at(-1));
    } else if (m[0] === "</span>") stack.pop();
    else {
      const color = stack.at(-1);
      const text = decode(m[2]!);
      out.push(color === "dim" ? { text, dim: true } : color ? { text, color } : { text });
    }
  }
  return out;
}
