import { failingCount, implicatedFiles, passingCount, rankSuspects } from "../context/check-output.ts";
import { definitionSlice } from "../tool/edit-formats/code-block.ts";
import { currentSources, type NoReplyEdits, namesDefinedIn } from "../tool/edit-formats/reply-edits.ts";
import type { DetectorTrip } from "./detectors/types.ts";

/**
 * The small-model fix loop (issue 8). For a prompt that asks for a change on a small local arm, owlet runs the
 * workspace's check (its tests) before the first round; when it fails, the code its failing tests import is
 * read for the model, and each round of the loop is a `patch` round: no tools, the model replies with the fixed
 * code in a fenced block (the edit format it was trained to answer in), owlet places the block in the file
 * (tool/edit-formats) and runs the check again. A pass ends the loop (the next round is the model's answer).
 *
 * A patch round's request is one plain user message (patchRequestText: the prompt, the failure, the code, the
 * ask), not the turn's history: local chat templates render tool results as JSON strings
 * (`"     1\t/** …\n"`), which small models misread and copy. Agentless (Xia et al., 2024) localises from the
 * failing test and repairs in one reply the same way; aider's `--test-cmd` runs the tests after each edit.
 *
 * Each round climbs one rung of a finite ladder of asks (patchLadder), so a model at temperature 0 is never
 * asked the same thing twice; when the ladder is used up the turn ends. A patch that does not lower the number
 * of failing tests is undone (the next rung starts from the best code so far, not from a wrong patch, and the
 * user is not left with it) and named in later asks as tried; one that lowers it is kept and becomes the base.
 */

/** The ask that ends a patch round's message when no function is named. */
export const PATCH_INSTRUCTION =
  "Find the bug from the failing check above. Reply with the fixed function only, whole, in one code block.";

/**
 * Files of code under test a failing check attaches for the fix loop, at most (the test's module, what it imports
 * and what those import: issue 8's T3 bugs sit two files away from the test).
 */
export const MAX_PATCH_FILES = 4;
/** Files shown but never patched (an implement task's tests and instructions), at most. */
export const MAX_CONTEXT_FILES = 3;
/** Lines of a context file shown, at most (the rest is cut with a note). */
const CONTEXT_MAX_LINES = 150;

/** Whether a path names source code a patch may go into (not a document, data or config file). */
export function isCodeFile(path: string): boolean {
  return /\.(?:[cm]?[jt]sx?|py|go|rs|rb|java|kt|cs|cpp|cc|c|h|hpp|swift|php|lua|sh)$/.test(path);
}

/** Tried-and-undone changes named in a patch ask, at most (the latest). */
const MAX_TRIED_NOTES = 3;
/** Characters of a changed line quoted in a tried note, at most. */
const NOTE_LINE_CHARS = 100;

/** What a patch round shows: the user's prompt, the check and its failure, the code under test as it is now. */
export interface PatchView {
  prompt: string;
  command: string;
  /** The check's output, summarised (context/check-output.ts). */
  failure: string;
  files: readonly { path: string; text: string }[];
}

/** How one patch round asks: over the whole code under test, or over one suspect function and what it uses. */
export interface PatchAsk {
  /** The ask that ends the message. */
  text: string;
  /** Show only this function (name and file) and the definitions it uses instead of the whole files. */
  focus?: { name: string; file: string };
  /** A line of the shown code (trimmed) to mark as the wrong one with {@link WRONG_LINE_MARK}. */
  mark?: string;
}

/** Fence language by file extension (`js`, `py`, …), empty when unknown. */
function fenceLanguage(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1);
  return (
    { js: "javascript", mjs: "javascript", cjs: "javascript", ts: "typescript", py: "python" }[ext] ?? ""
  );
}

/**
 * The one user message of a patch round: the prompt, the failing check's summary, each file of the code under
 * test in a fence (no line numbers) or the focused function's slice (definitionSlice), the changes already
 * tried and undone (`tried`, one line each), then the ask (`correction` before it: why the last reply gave no
 * edit). Plain text on purpose (see above); the parts that change between rungs come last, so a KV cache keeps
 * the prefix.
 */
export function patchRequestText(
  view: PatchView,
  ask: PatchAsk,
  opts: { correction?: string; tried?: readonly string[] } = {},
): string {
  const focused = ask.focus ? definitionSlice(view.files, ask.focus.name, ask.focus.file) : undefined;
  const shown = focused
    ? focused.map((f) => ({
        path: f.path === ask.focus!.file ? `${f.path} (${ask.focus!.name})` : f.path,
        text: f.text,
      }))
    : [...view.files];
  if (ask.mark) markLine(shown, ask.mark);
  const files = shown.map(
    (f) => `${f.path}:\n\`\`\`${fenceLanguage(f.path.split(" ")[0]!)}\n${f.text.replace(/\n$/, "")}\n\`\`\``,
  );
  const tried = (opts.tried ?? []).slice(-MAX_TRIED_NOTES);
  const triedText =
    tried.length > 0
      ? [
          `Already tried, and the check still failed, so these were undone:\n${tried.map((t) => `- ${t}`).join("\n")}`,
        ]
      : [];
  const text = opts.correction ? `${opts.correction} ${ask.text}` : ask.text;
  return [view.prompt, `\`${view.command}\` fails:\n${view.failure}`, ...files, ...triedText, text].join(
    "\n\n",
  );
}

/**
 * The temperature of the patch rounds of the ladder's second pass (LADDER_PASSES): the first pass runs at the
 * run's own settings (temperature 0 in the eval), where a model asked the same kind of thing gives the same copy
 * back; the second samples, each round with its own seed (the run's seed plus the patch round), and the check
 * picks the sample that works, as Agentless samples candidate patches at temperature 0.8 and keeps those that
 * pass the tests. Issue 8's eval: sampling from the first copy on lifted Qwen2.5-Coder-0.5B's T1 from 5 to 7 of
 * 24 but cost the 1.5B model a task it fixes at temperature 0, hence first pass deterministic, second sampled.
 */
export const PATCH_SAMPLE_TEMPERATURE = 0.8;

/**
 * Passes over one base's ladder, at most: the first at the run's settings, the second sampled
 * (PATCH_SAMPLE_TEMPERATURE). The turn's round limit and time limit bound it too.
 */
export const LADDER_PASSES = 2;

/** Rungs that point at one line of a suspect, per suspect, at most. */
export const LINE_RUNGS = 3;

/**
 * One rung of the patch ladder: an ask, or a placeholder for an ask that points at one line of a suspect (which
 * line is chosen when the rung is reached: the first candidate line not yet pointed at or already changed by a
 * tried patch, see FixLoop).
 */
export type LadderStep = PatchAsk | { line: { name: string; file: string } };

/**
 * The steps of a patch loop, in order, each different, so that a model at temperature 0 that gave a wrong or
 * unchanged reply is asked something else (the check picks the attempt that works, as Agentless picks among
 * candidate patches with the tests). `suspects`: name → file, most likely at fault first (rankSuspects);
 * `files`: the code under test, most likely first.
 * 1. the whole code, naming the (at most two) top suspects (small models otherwise "fix" the first function of
 *    the file: issue 8's transcripts);
 * 2. the first suspect alone with what it uses (a wrong constant above it, a helper in another file);
 * 3. up to {@link LINE_RUNGS} rungs that each name one line of the first suspect as the wrong one (line-level
 *    localisation by trial: the tests judge each attempt, the model writes the fix; a small model told where
 *    the bug is mostly fixes it, and told only the function it mostly rewrites the line it first suspected);
 * 4. the whole code again, asking which line is wrong and why before the fix (a reason first);
 * 5. the second suspect alone, then its lines;
 * 6. the whole fixed first file (aider's "whole" format);
 * 7. the third suspect alone.
 * Steps without a suspect or file are left out.
 */
export function patchLadder(
  suspects: ReadonlyMap<string, string>,
  files: readonly string[],
  mode: FixMode = "fix",
): LadderStep[] {
  if (mode === "implement") return implementLadder(suspects, files);
  const ranked = [...suspects].slice(0, 3).map(([name, file]) => ({ name, file }));
  const named = ranked.slice(0, 2).map((s) => `${s.name}() in ${s.file}`);
  const calls = named.length > 0 ? `The failing tests call ${named.join(", ")}. ` : "";
  const alone = (s: { name: string; file: string }): PatchAsk => ({
    text: `The bug is in ${s.name}() of ${s.file} or in what it uses, shown above. Reply with the fixed code, whole, in one code block.`,
    focus: s,
  });
  const lines = (s: { name: string; file: string }): LadderStep[] =>
    Array.from({ length: LINE_RUNGS }, () => ({ line: s }));
  const steps: LadderStep[] = [{ text: `${calls}${PATCH_INSTRUCTION}` }];
  if (ranked[0]) steps.push(alone(ranked[0]), ...lines(ranked[0]));
  steps.push({
    text: `${calls}First say in one sentence which line is wrong and why, using the values in the failing check. Then reply with the fixed function, whole, in one code block.`,
  });
  if (ranked[1]) steps.push(alone(ranked[1]), ...lines(ranked[1]));
  if (files[0])
    steps.push({
      text: `Find the bug from the failing check above. Reply with the whole fixed ${files[0]} in one code block.`,
    });
  if (ranked[2]) steps.push(alone(ranked[2]));
  return steps;
}

/** The ask of a line rung: the focused slice of `s`, naming `line` (trimmed source) as the wrong one. */
export function lineAsk(s: { name: string; file: string }, line: string): PatchAsk {
  return {
    text: `The line marked \`${WRONG_LINE_MARK}\` has the bug. Reply with that line, fixed, in one code block.`,
    focus: s,
    mark: line,
  };
}

/**
 * The mark a line rung puts at the end of the line it names (after a `//` or `#` comment sign). Marking the line
 * in place works where naming it does not: Qwen2.5-Coder-0.5B gave `range()` back unchanged when told "the
 * wrong line is `return max + min;`" and fixed it when the line was marked (issue 8's probes); the 1.5B model
 * replies with the fixed line alone, which is placed over the line it resembles. Replies are cleaned of it
 * (withoutLineMark) before they are placed.
 */
export const WRONG_LINE_MARK = "<- this line is wrong";

/** Marks the first line of `shown` whose trimmed text is `line` (in place; the first file that has it). */
function markLine(shown: { path: string; text: string }[], line: string): void {
  for (const [i, f] of shown.entries()) {
    const lines = f.text.split("\n");
    const at = lines.findIndex((l) => l.trim() === line);
    if (at < 0) continue;
    const comment = f.path.split(" ")[0]!.endsWith(".py") ? "#" : "//";
    lines[at] = `${lines[at]} ${comment} ${WRONG_LINE_MARK}`;
    shown[i] = { ...f, text: lines.join("\n") };
    return;
  }
}

/** A reply with every {@link WRONG_LINE_MARK} comment a model copied from a line rung removed. */
export function withoutLineMark(reply: string): string {
  return reply.replace(/[ \t]*(?:\/\/|#)[ \t]*<-[ \t]*this line is wrong[^\n]*/g, "");
}

/** A line that only opens a definition (`function f(a) {`, `def f(a):`, `class C {`): no code to fix in it. */
const SIGNATURE =
  /^(?:export\s+(?:default\s+)?)?(?:async\s+)?(?:def\s|function\b|class\s|(?:const|let|var)\s+[\w$]+\s*=\s*(?:async\s*)?(?:\([^)]*\)|[\w$]+)\s*=>).*[{:]$/;

/**
 * The lines of `s`'s slice (definitionSlice) a line rung may name, most likely first: code lines only (no
 * blank, comment, docstring or closing-bracket lines, no line that only opens a definition), those holding a
 * number the failing check shows as an actual value first (`360 !== 3600` → `SECONDS_PER_HOUR = 360`; also
 * unittest's `16.0 != 16.09344` and pytest's `assert 360 == 3600`), then in
 * source order, the function's own lines before the definitions it uses. Trimmed, each once. Pure.
 */
export function candidateLines(
  files: readonly { path: string; text: string }[],
  s: { name: string; file: string },
  failure: string,
): string[] {
  const slice = definitionSlice(files, s.name, s.file) ?? [];
  const code = (text: string) =>
    text
      .split("\n")
      .map((l) => l.trim())
      .filter(
        (l) =>
          l !== "" &&
          !/^(?:\/\/|\/\*|\*|#|"""|'''|@)/.test(l) &&
          !/^[)\]}]+[;,)]*$/.test(l) &&
          !SIGNATURE.test(l),
      );
  // the focused function's own lines, then those of what it uses (its file's constants, other files' helpers)
  const own = slice.find((f) => f.path === s.file)?.text ?? "";
  const start = own.search(
    new RegExp(
      `^[ \\t]*(?:export\\s+(?:default\\s+)?)?(?:async\\s+)?(?:def|function\\*?|class|const|let|var)\\s+${s.name}\\b`,
      "m",
    ),
  );
  const ownLines = code(start >= 0 ? own.slice(start) : own);
  const usedLines = [
    ...(start > 0 ? code(own.slice(0, start)) : []),
    ...slice.filter((f) => f.path !== s.file).flatMap((f) => code(f.text)),
  ];
  const all = [...new Set([...ownLines, ...usedLines])];
  const actual = new Set(
    // node's `360 !== 3600` and `actual: 360`, unittest's `16.0 != 16.09344`, pytest's `assert 360 == 3600`
    [
      ...failure.matchAll(
        /(?:^|[\s(])(-?\d+(?:\.\d+)?) !==?|actual:\s*(-?\d+(?:\.\d+)?)|assert (-?\d+(?:\.\d+)?) ==/gm,
      ),
    ].map((m) => m[1] ?? m[2] ?? m[3]!),
  );
  const holdsActual = (l: string) => (l.match(/\b\d+(?:\.\d+)?\b/g) ?? []).some((n) => actual.has(n));
  return [...all.filter(holdsActual), ...all.filter((l) => !holdsActual(l))];
}

/**
 * The asks of a patch loop for a prompt that asks to implement stubs from their tests (issue 8's T2 suite): the
 * tests and any instructions the prompt names are shown with the code, and the reply is the whole file.
 * 1. the whole first file, implemented;
 * 2. the same after listing what the tests expect (a reason first);
 * 3. the functions the failing tests call, implemented, when there are any.
 */
function implementLadder(suspects: ReadonlyMap<string, string>, files: readonly string[]): PatchAsk[] {
  const file = files[0] ?? "the file";
  const asks: PatchAsk[] = [
    {
      text: `Implement what the prompt asks in ${file} so that the tests above pass. Reply with the whole ${file} in one code block.`,
    },
    {
      text: `First list, in a few words each, what the tests above expect. Then reply with the whole ${file}, implemented, in one code block.`,
    },
  ];
  const named = [...suspects].slice(0, 3).map(([name]) => `${name}()`);
  if (named.length > 0)
    asks.push({
      text: `The failing tests call ${named.join(", ")}. Reply with their implementation, whole, in one code block.`,
    });
  return asks;
}

/** `fix`: a bug makes the check fail; `implement`: the code under test is stubs the tests describe. */
export type FixMode = "fix" | "implement";

/**
 * Whether a failing check asks for code to be written rather than a bug fixed: the prompt asks to implement
 * (or names stubs), or the failure is a stub's own error (exercism's "implement this function", Python's
 * NotImplementedError, "not implemented").
 */
export function fixModeFor(prompt: string, failure: string): FixMode {
  return /\bimplement|\bstubs?\b/i.test(prompt) ||
    /NotImplementedError|implement this function|\bnot (?:yet )?implemented\b/i.test(failure)
    ? "implement"
    : "fix";
}

/**
 * One line naming a change for a tried note: the first line that differs between `before` and `after`
 * (trimmed, quoted, at most 100 chars each), as "changing `a` to `b`", "adding `b`" or "removing `a`"; undefined
 * when they do not differ. Pure.
 */
export function changeNote(before: string, after: string): string | undefined {
  const { removed, added } = changedLines(before, after);
  const quote = (l: string) => {
    const t = l.trim();
    return `\`${t.length > NOTE_LINE_CHARS ? `${t.slice(0, NOTE_LINE_CHARS - 1)}…` : t}\``;
  };
  if (removed.length > 0 && added.length > 0) return `changing ${quote(removed[0]!)} to ${quote(added[0]!)}`;
  if (added.length > 0) return `adding ${quote(added[0]!)}`;
  if (removed.length > 0) return `removing ${quote(removed[0]!)}`;
  return undefined;
}

/**
 * What `after` removed from and added to `before`: the non-blank lines between their common head and tail, less
 * the lines found on both sides (each counted once).
 */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a.at(-1 - tail) === b.at(-1 - tail)) tail++;
  const removed = a.slice(head, a.length - tail).filter((l) => l.trim() !== "");
  const added = b.slice(head, b.length - tail).filter((l) => l.trim() !== "");
  // a line kept inside the changed region (a reply that reflowed the comments around it) is neither
  const left = [...added];
  const gone = removed.filter((l) => {
    const at = left.indexOf(l);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
  const kept = [...removed];
  const came = added.filter((l) => {
    const at = kept.indexOf(l);
    if (at < 0) return true;
    kept.splice(at, 1);
    return false;
  });
  return { removed: gone, added: came };
}

/** What a check after a patch says about it: `pass`, or whether it lowered the number of failing tests. */
export type PatchVerdict = "pass" | "better" | "not_better";

/**
 * The state of one turn's fix loop: the code the patches go into, the best code so far (the base every rung
 * starts from), its failure, the suspects, the rung reached, and the changes tried and undone.
 */
export class FixLoop {
  /** The check command. */
  readonly command: string;
  /** The code the patch replies go into, workspace-relative, most likely first. */
  readonly files: readonly string[];
  /** Files shown before the code but never patched (the tests and instructions of an implement task). */
  readonly context: readonly string[];
  readonly mode: FixMode;
  private readonly prompt: string;
  private readonly root: string;
  private view: PatchView | undefined;
  private suspects = new Map<string, string>();
  /** Failing tests of the base code (undefined: the check reports no count). */
  private baseFailing: number | undefined;
  /** Passing tests of the base code (undefined: no count). */
  private basePassing: number | undefined;
  /** The ladder of the current base (patchLadder), and the asks its rungs resolved to. */
  private steps: LadderStep[] = [];
  private readonly resolved = new Map<number, PatchAsk>();
  /** Lines a line rung named, and lines a tried patch changed (trimmed), on the current base. */
  private readonly pointed = new Set<string>();
  private readonly triedLines = new Set<string>();
  /** Rungs climbed on the current base. */
  private rung = 0;
  /** Patch rounds this turn. */
  private rounds = 0;
  private readonly tried: string[] = [];
  /** The arguments of every edit already checked (a reply that makes one again is not checked again). */
  private readonly checkedEdits = new Set<string>();
  /** Passes over the current base's ladder so far (1: the first). */
  private passes = 1;
  /** Line rungs of the current ladder already asked a second time (by index). */
  private readonly repeated = new Set<number>();
  /** Why the last reply gave no edit, for the next ask; cleared by an edit. */
  correction: string | undefined;
  /** Patch replies that were placed this turn. */
  placed = 0;

  constructor(opts: {
    command: string;
    files: readonly string[];
    context?: readonly string[];
    mode?: FixMode;
    prompt: string;
    workspaceRoot: string;
  }) {
    this.command = opts.command;
    this.files = opts.files;
    this.context = opts.context ?? [];
    this.mode = opts.mode ?? "fix";
    this.prompt = opts.prompt;
    this.root = opts.workspaceRoot;
  }

  /**
   * Takes the code as it is now as the base, with `summary` (the check's summarised output) as its failure:
   * ranks the suspects (rankSuspects over the failing tests) and reads the files. Never throws.
   */
  async rebase(summary: string): Promise<void> {
    const defined = await namesDefinedIn(this.files, this.root);
    this.suspects = await rankSuspects(
      summary,
      (await implicatedFiles(summary, this.root)).tests,
      defined,
      this.root,
    );
    this.view = {
      prompt: this.prompt,
      command: this.command,
      failure: summary,
      files: [
        ...(await currentSources(this.context, this.root)).map((f) => ({ ...f, text: clipLines(f.text) })),
        ...(await currentSources(this.files, this.root)),
      ],
    };
    this.baseFailing = failingCount(summary);
    this.basePassing = passingCount(summary);
    this.tried.length = 0;
    this.checkedEdits.clear();
    this.triedLines.clear();
    this.pointed.clear();
    this.steps = patchLadder(this.suspects, this.files, this.mode);
    this.resolved.clear();
    this.repeated.clear();
    this.passes = 1;
  }

  /**
   * A patch lowered the number of failing tests: the code as it is now becomes the base (see rebase) and the
   * ladder starts again from its first rung. Bounded: each call follows a strictly lower failing count.
   */
  async progress(summary: string): Promise<void> {
    await this.rebase(summary);
    this.rung = 0;
  }

  /**
   * The ask of the next patch round, or undefined when the ladder is used up (the turn ends; the first time, the
   * ladder is climbed again, sampled: see LADDER_PASSES). A line rung is
   * resolved when reached, to the first candidate line (candidateLines) not yet pointed at and not changed by a
   * tried patch; a line rung with no line left is dropped. The same rung always gives the same ask.
   */
  nextAsk(): PatchAsk | undefined {
    if (this.rung >= this.steps.length && this.passes < LADDER_PASSES) {
      // sampled now: the same asks get new replies
      this.passes++;
      this.rung = 0;
      this.resolved.clear();
      this.pointed.clear();
      this.repeated.clear();
    }
    while (this.rung < this.steps.length) {
      const memo = this.resolved.get(this.rung);
      if (memo) return memo;
      const step = this.steps[this.rung]!;
      if ("text" in step) {
        this.resolved.set(this.rung, step);
        return step;
      }
      const line = candidateLines(this.view?.files ?? [], step.line, this.view?.failure ?? "").find(
        (l) => !this.pointed.has(l) && !this.triedLines.has(l),
      );
      if (!line) {
        this.steps.splice(this.rung, 1);
        continue;
      }
      this.pointed.add(line);
      const ask = lineAsk(step.line, line);
      this.resolved.set(this.rung, ask);
      return ask;
    }
    return undefined;
  }

  /** The message of the next patch round (see patchRequestText). Call only while nextAsk() gives an ask. */
  requestText(): string {
    return patchRequestText(this.view!, this.nextAsk()!, {
      ...(this.correction ? { correction: this.correction } : {}),
      tried: this.tried,
    });
  }

  /** A patch round's reply came in: the next round climbs to the next rung. */
  climb(): void {
    this.rung++;
    this.rounds++;
  }

  /**
   * The last reply gave the code back unchanged or repeated a change already checked. In the sampled pass a line
   * rung is then asked once more, sampled anew, before the ladder climbs on (the line is where the bug most
   * likely is; a copy says nothing about it).
   */
  copied(): void {
    if (this.passes < 2) return;
    const at = this.rung - 1;
    const step = this.steps[at];
    if (step && !("text" in step) && !this.repeated.has(at)) {
      this.repeated.add(at);
      this.rung = at;
    }
  }

  /**
   * How the next patch round samples: undefined (the run's own settings) in the ladder's first pass, then
   * {@link PATCH_SAMPLE_TEMPERATURE} with seed `seed + patch rounds so far` (`seed`: the run's, default 0), so
   * each round gets a different, reproducible sample.
   */
  sampling(seed = 0): { temperature: number; seed: number } | undefined {
    return this.passes > 1 ? { temperature: PATCH_SAMPLE_TEMPERATURE, seed: seed + this.rounds } : undefined;
  }

  /** Patch rounds so far this turn (every rung climbed, across restarts of the ladder). */
  get attempts(): number {
    return this.rounds;
  }

  /**
   * Whether an edit with these arguments (JSON text, as placed) was already checked from this base: a model at
   * temperature 0 often gives the same wrong fix to a different ask.
   */
  alreadyChecked(editArguments: readonly string[]): boolean {
    return editArguments.length > 0 && editArguments.every((a) => this.checkedEdits.has(a));
  }

  /** Records the edits of a placed reply (their arguments) as checked. */
  markChecked(editArguments: readonly string[]): void {
    for (const a of editArguments) this.checkedEdits.add(a);
    this.placed++;
  }

  /**
   * What the check after a patch says (`summary`: its summarised output; `passed`: exit 0): `pass`, `better`
   * when it reports fewer failing tests than the base and no fewer passing ones, else `not_better` (also when it
   * reports no failing count).
   */
  judge(summary: string, passed: boolean): PatchVerdict {
    if (passed) return "pass";
    const now = failingCount(summary);
    const fewerFailing = now !== undefined && this.baseFailing !== undefined && now < this.baseFailing;
    // fewer failing but fewer passing too is a broken test file (its load failed), not progress
    const passing = passingCount(summary);
    const keptPassing =
      passing === undefined || this.basePassing === undefined || passing >= this.basePassing;
    return fewerFailing && keptPassing ? "better" : "not_better";
  }

  /**
   * The base text of each changed file, to write back after a patch that did not help, and a tried note for
   * it. `after`: the files the patch changed, with their text now.
   */
  undo(after: readonly { path: string; text: string }[]): { path: string; text: string }[] {
    const restore: { path: string; text: string }[] = [];
    for (const file of after) {
      const base = this.view?.files.find((f) => f.path === file.path);
      if (!base || base.text === file.text) continue;
      restore.push(base);
      for (const line of changedLines(base.text, file.text).removed) this.triedLines.add(line.trim());
      const note = changeNote(base.text, file.text);
      if (note && !this.tried.includes(`${note} in ${file.path}`)) this.tried.push(`${note} in ${file.path}`);
    }
    return restore;
  }
}

/** A context file's text cut to CONTEXT_MAX_LINES lines, with a note of what was left out. */
function clipLines(text: string): string {
  const lines = text.split("\n");
  if (lines.length <= CONTEXT_MAX_LINES) return text;
  return `${lines.slice(0, CONTEXT_MAX_LINES).join("\n")}\n… ${lines.length - CONTEXT_MAX_LINES} more lines`;
}

/** The correction after a patch reply that gave no usable edit, by why it gave none. */
export function noPatchTrip(
  reason: NoReplyEdits["reason"] | "tried",
  files: readonly string[],
): DetectorTrip {
  const list = files.join(", ");
  const injection = {
    no_code: "Reply with the fixed code in one code block.",
    cut: "Your reply was cut off at the length limit. Reply with the fixed function only, in one code block.",
    not_placed: `Your code block matches no function in ${list}. Reply with the whole fixed function, its name unchanged, in one code block.`,
    unchanged: `Your code is the same as what ${list} has now, so nothing changed and the check still fails. Find the line that is wrong and reply with the fixed function in one code block.`,
    tried:
      "That change was already tried and the check still failed. Reply with a different fix in one code block.",
  }[reason];
  return {
    detector: "no_patch",
    reason: `a patch reply gave no edit (${reason.replace("_", " ")})`,
    injection,
  };
}
