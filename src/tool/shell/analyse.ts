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
import type { BashAnalysis, ShellCommand } from "./command-types.ts";
import { parseBash } from "./grammar.ts";
import { fallbackCommands, recoveredCommand, substitutionBodies } from "./recover.ts";
import { Walker } from "./walker.ts";

export type { BashAnalysis, Redirect, ShellCommand } from "./command-types.ts";

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

/**
 * Analyses `command` (see the module comment). Synchronous; needs the grammar loaded (loadBashGrammar), else
 * it is refused. Never throws for any input.
 */
export function analyseBash(command: string, budgetMs = ANALYSIS_BUDGET_MS): BashAnalysis {
  // the permission policy and the bash tool's interactive check read the same command: parse it once
  const cached = recent.get(command);
  if (cached && cached.budgetMs === budgetMs) return cached.analysis;
  let analysis: BashAnalysis;
  try {
    analysis = analyseUncached(command, budgetMs, 0);
  } catch (err) {
    // Nesting deep enough to exhaust the stack while parsing: refused like a command too slow to analyse.
    if (!(err instanceof RangeError)) throw err;
    analysis = tooSlow(budgetMs);
  }
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
    const nested = (text: string, ms: number): ShellCommand[] =>
      analyseUncached(text, ms, depth + 1).commands;
    const walker = new Walker(command, deadline, nested);
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
  } catch (err) {
    // Nesting deep enough to exhaust the stack (the walk recurses per level): refused like a command too slow to
    // analyse, never an exception out of the permission check.
    if (err instanceof RangeError) return tooSlow(budgetMs);
    throw err;
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
