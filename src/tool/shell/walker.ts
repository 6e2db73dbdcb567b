/**
 * The walk over a tree-sitter-bash syntax tree that finds every simple command (see analyse.ts): depth-first with an
 * explicit stack, carrying what a command inherits from where it sits (redirections of an enclosing statement,
 * piped input, literal input texts), checking the time budget as it goes.
 */
import type { Node } from "web-tree-sitter";
import type { Redirect, ShellCommand } from "./command-types.ts";
import { stripCoproc, stripTime, TIME_PREFIX } from "./prefixes.ts";
import { fallbackCommands, substitutionBodies } from "./recover.ts";
import { readWord, type WordValue } from "./words.ts";

/** Node types that run a command or declare something and are treated as simple commands. */
const COMMAND_LIKE = new Set(["command", "declaration_command", "unset_command", "test_command"]);

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

export class Walker {
  readonly commands: ShellCommand[] = [];
  readonly unresolved = new Set<string>();
  private visited = 0;

  private readonly source: string;
  private readonly deadline: number;
  private readonly nested: (text: string, budgetMs: number) => ShellCommand[];

  /** `nested` analyses text found inside the tree without a grammar node (backticks in here-documents). */
  constructor(source: string, deadline: number, nested: (text: string, budgetMs: number) => ShellCommand[]) {
    this.source = source;
    this.deadline = deadline;
    this.nested = nested;
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
            this.commands.push(...this.nested(body, Math.max(0, this.deadline - performance.now())));
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

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
