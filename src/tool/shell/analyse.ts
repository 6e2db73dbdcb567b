/**
 * Command analysis on a real bash grammar (tree-sitter-bash, see grammar.ts): every simple command a command
 * line can run, wherever it sits — lists, pipelines, subshells, `{ …; }` groups, functions, `if`/`while`/`for`/
 * `case` bodies, command and process substitutions (in arguments, strings, assignments, redirections, here-strings
 * and expanding here-document bodies), arithmetic, `[[ … ]]` tests and `coproc` — each with its words read as bash
 * reads them (see words.ts) and its redirections. What the grammar cannot settle statically is reported in
 * `unresolved` (a parse error, a command name computed at run time); the permission policy adds its own reasons.
 *
 * Linear time: commands over {@link MAX_ANALYSED_BYTES} are refused at once, and parsing plus the walk give up
 * after {@link ANALYSIS_BUDGET_MS}; a refused command has `refused` set and no commands.
 */
import type { Node } from "web-tree-sitter";
import { parseBash } from "./grammar.ts";
import { type Char, readChars, readWord, type WordValue } from "./words.ts";

/** One redirection: `2>&1` is `{ op: ">&", target: "1", fd: "2" }`; here-documents are `<<` with their delimiter. */
export interface Redirect {
  op: string;
  target: string;
  /** The file descriptor written before the operator, when there is one. */
  fd?: string;
}

/** One simple command found anywhere in a command line. */
export interface ShellCommand {
  /** The command as written, with its redirections (without here-document bodies). */
  text: string;
  /** Leading `NAME=value` words, as bash reads them. */
  assignments: string[];
  /** The command name and its arguments as bash reads them; `coproc [NAME] [{]` removed. */
  words: string[];
  /** Per word: it contains an expansion or substitution, so its value is only known at run time. */
  dynamic: boolean[];
  /** The command name contains an unquoted glob character (`/bin/r?`). */
  globName: boolean;
  redirects: Redirect[];
  /** Its standard input comes from an earlier pipeline stage (`… | sh`). */
  pipedInput: boolean;
  /** Literal texts fed to it through here-strings and non-expanding here-documents. */
  inputTexts: string[];
}

/** The outcome of {@link analyseBash} (shared with later calls for the same command: do not modify). */
export interface BashAnalysis {
  /** Every simple command, outer before inner, in source order. */
  commands: ShellCommand[];
  /** Why the analysis cannot vouch for the command line (empty when it can). */
  unresolved: string[];
  /** Set when the command was not analysed at all (too large, too slow, grammar not loaded). */
  refused?: string;
}

/**
 * Largest command analysed, in bytes (UTF-16 code units); larger ones are refused without parsing, in well under
 * a millisecond. Commands models send are rarely above a few KiB; a file's worth of text belongs in fs_write.
 */
export const MAX_ANALYSED_BYTES = 64 * 1024;
/**
 * Time budget for parsing and walking one command, in ms: a pathological command under the size cap (tens of
 * thousands of tiny commands) is refused when it passes, instead of stalling the turn. Ordinary commands take well
 * under 1 ms and a 12 KiB script a few ms; the budget is generous so that a busy machine does not refuse them.
 */
export const ANALYSIS_BUDGET_MS = 1000;

/** Node types that run a command or declare something and are treated as simple commands. */
const COMMAND_LIKE = new Set(["command", "declaration_command", "unset_command", "test_command"]);

/**
 * Analyses `command` (see the module comment). Synchronous; needs the grammar loaded (loadBashGrammar), else
 * it is refused. Never throws for any input.
 */
export function analyseBash(command: string, budgetMs = ANALYSIS_BUDGET_MS): BashAnalysis {
  // the permission policy and the bash tool's interactive check read the same command: parse it once
  const cached = recent.get(command);
  if (cached && cached.budgetMs === budgetMs) return cached.analysis;
  const analysis = analyseUncached(command, budgetMs, 0);
  if (!(analysis.refused === GRAMMAR_NOT_LOADED)) {
    recent.set(command, { budgetMs, analysis });
    if (recent.size > RECENT_ANALYSES) recent.delete(recent.keys().next().value!);
  }
  return analysis;
}

/** How many analyses are remembered (the last few bash calls). */
const RECENT_ANALYSES = 8;
const recent = new Map<string, { budgetMs: number; analysis: BashAnalysis }>();

/** The `refused` reason when the grammar has not been loaded. */
export const GRAMMAR_NOT_LOADED = "the bash grammar is not loaded";

function analyseUncached(command: string, budgetMs: number, depth: number): BashAnalysis {
  if (command.length > MAX_ANALYSED_BYTES) {
    return {
      commands: [],
      unresolved: [],
      refused: `the command is ${command.length} bytes; owlet analyses bash commands of up to ${MAX_ANALYSED_BYTES / 1024} KiB. Write the script to a file with fs_write and run that`,
    };
  }
  const deadline = performance.now() + budgetMs;
  const tree = parseBash(command, deadline);
  if (tree === "grammar") return { commands: [], unresolved: [], refused: GRAMMAR_NOT_LOADED };
  if (tree === "time") return tooSlow(budgetMs);
  try {
    const walker = new Walker(command, deadline);
    if (!walker.walk(tree.rootNode)) return tooSlow(budgetMs);
    const unresolved = [...walker.unresolved];
    if (!tree.rootNode.hasError) return { commands: walker.commands, unresolved };
    // The grammar failed somewhere (two here-documents on one line, odd brace expansions): the call will ask, and
    // every line and substitution body is also read as plain commands, so deny rules still see what may run.
    unresolved.unshift("bash could not parse part of it");
    const commands = [...walker.commands];
    for (const words of fallbackCommands(command)) commands.push(recoveredCommand(words));
    if (depth < 4) {
      for (const body of substitutionBodies(command)) {
        if (performance.now() > deadline) return tooSlow(budgetMs);
        const inner = analyseUncached(body, Math.max(0, deadline - performance.now()), depth + 1);
        if (inner.refused) return inner;
        commands.push(...inner.commands);
      }
    }
    return { commands, unresolved };
  } finally {
    tree.delete();
  }
}

function tooSlow(budgetMs: number): BashAnalysis {
  return {
    commands: [],
    unresolved: [],
    refused: `the command is too complex to analyse within ${budgetMs} ms. Split it up, or write the script to a file with fs_write and run that`,
  };
}

/** What a node inherits from its ancestors while walking. */
interface Context {
  /** Redirections of an enclosing `redirected_statement` whose body this is. */
  redirects: Redirect[];
  inputTexts: string[];
  pipedInput: boolean;
}

const ROOT: Context = { redirects: [], inputTexts: [], pipedInput: false };

/** Thrown inside the walk when the time budget runs out. */
const OUT_OF_TIME = new Error("out of time");

class Walker {
  readonly commands: ShellCommand[] = [];
  readonly unresolved = new Set<string>();
  private visited = 0;

  private readonly source: string;
  private readonly deadline: number;

  constructor(source: string, deadline: number) {
    this.source = source;
    this.deadline = deadline;
  }

  /** Walks the tree depth-first with an explicit stack (nesting depth is unbounded); false when out of time. */
  walk(root: Node): boolean {
    // Parents travel on the stack: web-tree-sitter's `node.parent` searches down from the root each time.
    const stack: { node: Node; ctx: Context; parent: Node | undefined }[] = [
      { node: root, ctx: ROOT, parent: undefined },
    ];
    try {
      while (stack.length > 0) {
        if (++this.visited % 64 === 0) this.checkTime();
        const { node, ctx, parent } = stack.pop()!;
        const children = this.visit(node, ctx, parent);
        for (let i = children.length - 1; i >= 0; i--) stack.push({ ...children[i]!, parent: node });
      }
      return true;
    } catch (error) {
      if (error === OUT_OF_TIME) return false;
      throw error;
    }
  }

  /** Throws {@link OUT_OF_TIME} once the deadline has passed. */
  private checkTime(): void {
    if (performance.now() > this.deadline) throw OUT_OF_TIME;
  }

  /** Records what `node` itself says and returns its children with their context. */
  private visit(node: Node, ctx: Context, parent: Node | undefined): { node: Node; ctx: Context }[] {
    const named = node.namedChildren.filter((c): c is Node => c !== null);
    const plain = (list: Node[], c: Context = ROOT) => list.map((child) => ({ node: child, ctx: c }));
    switch (node.type) {
      case "redirected_statement": {
        const body = node.childForFieldName("body");
        const redirects = named.filter((c) => c.id !== body?.id);
        const inner: Context = {
          redirects: [...ctx.redirects, ...redirects.flatMap((r) => this.redirect(r))],
          inputTexts: [...ctx.inputTexts, ...redirects.flatMap((r) => this.inputText(r))],
          pipedInput: ctx.pipedInput,
        };
        return [...(body ? [{ node: body, ctx: inner }] : []), ...plain(redirects)];
      }
      case "pipeline": {
        // `cat <<EOF | sh`: tree-sitter puts the rest of the pipeline inside the here-document redirect
        const fed = parent?.type === "heredoc_redirect";
        return named.map((child, i) => {
          if (i === 0 && !fed) return { node: child, ctx };
          // `echo 'rm -rf x' | sh`: what a literal echo/printf writes is what the next stage reads
          const echoed = i > 0 ? echoedText(named[i - 1]!) : undefined;
          const inputTexts = echoed === undefined ? ctx.inputTexts : [...ctx.inputTexts, echoed];
          return { node: child, ctx: { ...ctx, inputTexts, pipedInput: true } };
        });
      }
      case "process_substitution":
        // `tee >(sh)`: the commands of an output substitution read what is written to it
        return plain(named, node.text.startsWith(">(") ? { ...ROOT, pipedInput: true } : ROOT);
      case "heredoc_redirect": {
        // what follows the delimiter on its line (`| sh`, `&& …`) may read the body
        const body = named.find((c) => c.type === "heredoc_body");
        const fedCtx: Context = body ? { ...ROOT, inputTexts: [body.text] } : ROOT;
        return named.map((child) => ({ node: child, ctx: child.type === "pipeline" ? fedCtx : ROOT }));
      }
      case "heredoc_body": {
        // tree-sitter-bash finds `$(…)` in an expanding here-document, not backticks: bash runs both
        const start = parent?.namedChildren.find((c) => c?.type === "heredoc_start");
        if (start && !/['"\\]/.test(start.text)) {
          for (const body of substitutionBodies(node.text)) {
            if (!node.text.includes(`\`${body}\``)) continue;
            this.commands.push(
              ...analyseUncached(body, Math.max(0, this.deadline - performance.now()), 1).commands,
            );
          }
        }
        return plain(named);
      }
      case "command_name":
        // a command name outside a command: what tree-sitter recovers from `{rm,-rf,x}` and other errors
        if (parent?.type !== "command") this.addCommand(node, [node], [], ctx, parent);
        return plain(named);
      case "ERROR":
        // what the grammar could not read is also read as plain words, so deny rules still see `{r,}m -rf x`
        for (const words of fallbackCommands(node.text)) this.addCommand(node, words, [], ctx, parent, true);
        return plain(named);
      default:
        if (COMMAND_LIKE.has(node.type)) return this.command(node, named, ctx, parent);
        // compound statements pass redirections and piped input on to the commands inside
        return plain(named, isCompound(node.type) ? ctx : ROOT);
    }
  }

  private command(
    node: Node,
    named: Node[],
    ctx: Context,
    parent: Node | undefined,
  ): { node: Node; ctx: Context }[] {
    const assignments = named.filter((c) => c.type === "variable_assignment");
    const redirectNodes = named.filter((c) => c.type.endsWith("_redirect"));
    const wordNodes =
      node.type === "command"
        ? named.filter((c) => c.type !== "variable_assignment" && !c.type.endsWith("_redirect"))
        : named.filter((c) => c.type !== "variable_assignment" || node.type === "declaration_command");
    const inner: Context = {
      redirects: [...ctx.redirects, ...redirectNodes.flatMap((r) => this.redirect(r))],
      inputTexts: [...ctx.inputTexts, ...redirectNodes.flatMap((r) => this.inputText(r))],
      pipedInput: ctx.pipedInput,
    };
    if (node.type === "command") this.addCommand(node, wordNodes, assignments, inner, parent);
    else this.addCommand(node, [keywordNode(node), ...wordNodes], [], inner, parent);
    return named.map((child) => ({ node: child, ctx: ROOT }));
  }

  private addCommand(
    node: Node,
    wordNodes: (Node | string | WordValue)[],
    assignmentNodes: Node[],
    ctx: Context,
    parent: Node | undefined,
    recovered = false,
  ): void {
    const words: string[] = [];
    const dynamic: boolean[] = [];
    let globName = false;
    for (const [i, wordNode] of wordNodes.entries()) {
      if (i % 256 === 255) this.checkTime();
      if (typeof wordNode === "string") {
        words.push(wordNode);
        dynamic.push(false);
        continue;
      }
      const value = "values" in wordNode ? wordNode : readWord(wordNode);
      if (words.length === 0 && value.glob) globName = true;
      for (const v of value.values) {
        words.push(v);
        dynamic.push(value.dynamic);
      }
    }
    stripCoproc(words, dynamic);
    const timed = stripTime(words, dynamic);
    if (words.length === 0 || (words.length === 1 && /^[{}()]$/.test(words[0]!) && !dynamic[0])) {
      if (assignmentNodes.length === 0) return;
    }
    if (dynamic[0] && !recovered)
      this.unresolved.add(`the command name \`${shorten(words[0]!)}\` is computed at run time`);
    this.commands.push({
      text: recovered
        ? node.text.trim()
        : this.commandText(node, ctx, parent).replace(timed ? TIME_PREFIX : /^$/, ""),
      assignments: assignmentNodes.map((a) => readWord(a).values.join(" ")),
      words,
      dynamic,
      globName,
      redirects: ctx.redirects,
      pipedInput: ctx.pipedInput,
      inputTexts: ctx.inputTexts,
    });
  }

  /** The command's source text, extended over the redirections of its `redirected_statement` (not here-document bodies). */
  private commandText(node: Node, ctx: Context, parent: Node | undefined): string {
    let end = node.endIndex;
    if (
      parent?.type === "redirected_statement" &&
      parent.childForFieldName("body")?.id === node.id &&
      ctx.redirects.length > 0
    ) {
      for (const r of parent.namedChildren) {
        if (!r || r.id === node.id) continue;
        if (r.type === "heredoc_redirect") {
          const bodyStart = r.namedChildren.find((c) => c?.type === "heredoc_body")?.startIndex ?? r.endIndex;
          const head = r.namedChildren.filter((c): c is Node => c !== null && c.endIndex <= bodyStart);
          end = Math.max(end, head.length > 0 ? head[head.length - 1]!.endIndex : r.startIndex);
        } else end = Math.max(end, r.endIndex);
      }
    }
    return this.source.slice(node.startIndex, end).trim();
  }

  /** The redirection a `*_redirect` node makes. */
  private redirect(node: Node): Redirect[] {
    const fdNode = node.childForFieldName("descriptor");
    const op = node.children.find((c) => c !== null && !c.isNamed)?.text ?? "";
    if (node.type === "heredoc_redirect") {
      const start = node.namedChildren.find((c) => c?.type === "heredoc_start");
      const out: Redirect[] = [{ op: op || "<<", target: start ? readWord(start).values.join(" ") : "" }];
      // `cat <<EOF > file`: redirections after the delimiter are children of the here-document
      for (const child of node.namedChildren)
        if (child?.type === "file_redirect") out.push(...this.redirect(child));
      return out;
    }
    const target =
      node.childForFieldName("destination") ??
      node.namedChildren.find((c) => c !== null && c.id !== fdNode?.id);
    // the operator as written, between the descriptor and the target (tree-sitter-bash has no `<>` token)
    const opStart = (fdNode?.endIndex ?? node.startIndex) - node.startIndex;
    const opEnd = (target?.startIndex ?? node.endIndex) - node.startIndex;
    const written = node.text.slice(opStart, opEnd).trim() || op;
    const closing = /^([<>]&)-$/.exec(written);
    const redirect: Redirect = closing
      ? { op: closing[1]!, target: "-" }
      : { op: written, target: target ? readWord(target).values.join(" ") : "" };
    if (fdNode) redirect.fd = fdNode.text;
    return [redirect];
  }

  /** Literal input a redirect feeds the command: a here-string's value, a non-expanding here-document's body. */
  private inputText(node: Node): string[] {
    if (node.type === "herestring_redirect") {
      const value = node.namedChildren.find((c) => c !== null && c.type !== "file_descriptor");
      return value ? [readWord(value).values.join(" ")] : [];
    }
    if (node.type === "heredoc_redirect") {
      const body = node.namedChildren.find((c) => c?.type === "heredoc_body");
      return body ? [body.text] : [];
    }
    return [];
  }
}

/**
 * The text a literal `echo …` / `printf …` stage writes (words joined by spaces; printf's `\n` as newlines), or
 * undefined when `node` is anything else or has expansions.
 */
function echoedText(node: Node): string | undefined {
  if (node.type !== "command") return undefined;
  const values: string[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type.endsWith("_redirect") || child.type === "variable_assignment") continue;
    const value = readWord(child);
    if (value.dynamic) return undefined;
    values.push(...value.values);
  }
  const [name, ...args] = values;
  if (name === "echo") return args.filter((a) => !/^-[neE]+$/.test(a)).join(" ");
  if (name === "printf") return args.join(" ").replace(/\\n/g, "\n");
  return undefined;
}

/** A command read by fallbackCommands (its text is its words). */
function recoveredCommand(values: WordValue[]): ShellCommand {
  const words = values.flatMap((v) => v.values);
  const dynamic = values.flatMap((v) => v.values.map(() => v.dynamic));
  stripCoproc(words, dynamic);
  return {
    text: words.join(" "),
    assignments: [],
    words,
    dynamic,
    globName: values[0]?.glob === true,
    redirects: [],
    pipedInput: false,
    inputTexts: [],
  };
}

/** Statement types whose redirections and piped input reach every command inside them. */
function isCompound(type: string): boolean {
  return (
    type === "subshell" ||
    type === "compound_statement" ||
    type === "list" ||
    type === "negated_command" ||
    type === "if_statement" ||
    type === "elif_clause" ||
    type === "else_clause" ||
    type === "while_statement" ||
    type === "for_statement" ||
    type === "c_style_for_statement" ||
    type === "do_group" ||
    type === "case_statement" ||
    type === "case_item"
  );
}

/** The keyword a declaration, `unset` or `[[ … ]]` starts with (`export`, `local`, `unset`, `[[`, …). */
function keywordNode(node: Node): string {
  const first = node.children[0];
  return first ? first.text : node.type;
}

/** Removes `coproc`, `coproc NAME {`/`(`, and a leading `{`/`(` from the words (tree-sitter-bash reads coproc as a command). */
function stripCoproc(words: string[], dynamic: boolean[]): void {
  const drop = (n: number) => {
    words.splice(0, n);
    dynamic.splice(0, n);
  };
  if (words[0] !== "coproc" || dynamic[0]) return;
  drop(1);
  if (words.length >= 2 && /^[A-Za-z_]\w*$/.test(words[0]!) && /^[{(]$/.test(words[1]!)) drop(2);
  else if (/^[{(]$/.test(words[0] ?? "")) drop(1);
}

/**
 * Plain commands of text the grammar could not parse: split into segments on unquoted `;`, `&`, `|`, newlines and
 * parentheses, and into words on unquoted blanks and `<`/`>`; quotes removed, braces expanded (see readChars).
 * Linear in the text's length.
 */
function fallbackCommands(text: string): WordValue[][] {
  const segments: WordValue[][] = [];
  let words: WordValue[] = [];
  let chars: Char[] = [];
  let quote: string | undefined;
  const endWord = () => {
    if (chars.length > 0) words.push(readChars(chars));
    chars = [];
  };
  const endSegment = () => {
    endWord();
    if (words.length > 0) segments.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else chars.push({ c, quoted: true });
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\" && i + 1 < text.length) chars.push({ c: text[++i]!, quoted: true });
    else if (/[;&|()\n]/.test(c)) endSegment();
    else if (/[\s<>]/.test(c)) endWord();
    else chars.push({ c, quoted: false });
  }
  endSegment();
  return segments;
}

/**
 * The bodies of the outermost `$(…)`, `<(…)`, `>(…)` and backtick substitutions in `text`, found without a grammar
 * (linear: nested bodies are found when an outer body is analysed in turn).
 */
function substitutionBodies(text: string): string[] {
  const out: string[] = [];
  const opens: number[] = []; // body start of a substitution's `(`, or -1 for a plain `(`
  let substitutions = 0; // how many entries of `opens` are substitutions
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") i++;
    else if (c === "(") {
      const substitution = /[$<>]/.test(text[i - 1] ?? "");
      opens.push(substitution ? i + 1 : -1);
      if (substitution) substitutions++;
    } else if (c === ")" && opens.length > 0) {
      const start = opens.pop()!;
      if (start >= 0 && --substitutions === 0) out.push(text.slice(start, i));
    } else if (c === "`" && substitutions === 0) {
      const close = text.indexOf("`", i + 1);
      if (close < 0) break;
      out.push(text.slice(i + 1, close));
      i = close;
    }
  }
  return out;
}

/** `time` and `time -p` before a command (a reserved word tree-sitter-bash reads as a command name). */
const TIME_PREFIX = /^time\s+(?:-p\s+)?/;

/** Removes a leading `time [-p]` from the words; true when it did. */
function stripTime(words: string[], dynamic: boolean[]): boolean {
  if (words[0] !== "time" || dynamic[0] || words.length < 2) return false;
  const n = words[1] === "-p" && words.length > 2 ? 2 : 1;
  words.splice(0, n);
  dynamic.splice(0, n);
  return true;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
