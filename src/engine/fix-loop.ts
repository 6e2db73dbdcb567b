import { definitionSource } from "../tool/edit-formats/code-block.ts";
import type { NoReplyEdits } from "../tool/edit-formats/reply-edits.ts";
import type { DetectorTrip } from "./detectors/types.ts";

/**
 * The small-model fix loop (issue 8). For a prompt that asks for a change on a small local arm, owlet runs the
 * workspace's check (its tests) before the first round; when it fails, the code its failing tests import is
 * read for the model, and each round of the loop is a `patch` round: no tools, the model replies with the fixed
 * code in a fenced block (the edit format it was trained to answer in), owlet places the block in the file
 * (tool/edit-formats) and runs the check again. A pass ends the loop (the next round is the model's answer); a
 * failure leads to another attempt, asked differently (patchInstruction).
 *
 * A patch round's request is one plain user message (patchRequestText: the prompt, the failure, the code as it
 * is now, the ask), not the turn's history: local chat templates render tool results as JSON strings
 * (`"     1\t/** …\n"`), which small models misread and copy. Agentless (Xia et al., 2024) localises from the
 * failing test and repairs in one reply the same way; aider's `--test-cmd` runs the tests after each edit.
 */
/** The ask that ends a patch round's message. */
export const PATCH_INSTRUCTION =
  "Find the bug from the failing check above. Reply with the fixed function only, whole, in one code block.";

/** What a patch round shows: the user's prompt, the check and its failure, the code under test as it is now. */
export interface PatchView {
  prompt: string;
  command: string;
  /** The check's output, summarised (context/check-output.ts). */
  failure: string;
  files: readonly { path: string; text: string }[];
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
 * test in a fence (no line numbers), or only the function the ask focuses on, then the ask (patchInstruction;
 * `correction` before it: why the last reply gave no edit). Plain text on purpose (see above).
 */
export function patchRequestText(view: PatchView, ask: PatchAsk, correction?: string): string {
  const focused = ask.focus ? focusedFile(view, ask.focus) : undefined;
  const shown = focused ? [focused] : view.files;
  const files = shown.map(
    (f) => `${f.path}:\n\`\`\`${fenceLanguage(f.path.split(" ")[0]!)}\n${f.text.replace(/\n$/, "")}\n\`\`\``,
  );
  const text = correction ? `${correction} ${ask.text}` : ask.text;
  return [view.prompt, `\`${view.command}\` fails:\n${view.failure}`, ...files, text].join("\n\n");
}

/** The focused function's source as a one-entry file list, or undefined when it is not found. */
function focusedFile(
  view: PatchView,
  focus: { name: string; file: string },
): { path: string; text: string } | undefined {
  const file = view.files.find((f) => f.path === focus.file);
  const source = file && definitionSource(file.text, focus.name, file.path.endsWith(".py") ? "py" : "js");
  return source ? { path: `${focus.file} (${focus.name})`, text: source } : undefined;
}

/** How one patch round asks: the whole code under test, or one suspect function alone. */
export interface PatchAsk {
  /** The ask that ends the message. */
  text: string;
  /** Show only this function (name and file) instead of the whole files. */
  focus?: { name: string; file: string };
}

/**
 * A patch round's ask, varied by `attempt` (0-based patch rounds so far this turn) so that a model at
 * temperature 0 that gave the same code back is not asked the same thing again (the check picks the attempt
 * that works, as Agentless picks among candidate patches with the tests):
 * - 0, 3, …: the whole files, naming the (at most two) functions most likely at fault (`suspects`: name →
 *   file, best first), then PATCH_INSTRUCTION (small models otherwise "fix" the first function of the file:
 *   issue 8's transcripts);
 * - 1, 4, …: the first suspect alone ("this function has the bug"): a smaller view a model does not just copy;
 * - 2, 5, …: the second suspect alone, else the whole fixed file (aider's "whole" format).
 */
export function patchInstruction(
  suspects: ReadonlyMap<string, string>,
  attempt = 0,
  files: readonly string[] = [],
): PatchAsk {
  const step = attempt % 3;
  const ranked = [...suspects].slice(0, 2).map(([name, file]) => ({ name, file }));
  const alone = step === 1 ? ranked[0] : step === 2 ? ranked[1] : undefined;
  if (alone) {
    return {
      text: `The bug is in ${alone.name}() of ${alone.file}, shown above. Reply with the fixed function, whole, in one code block.`,
      focus: alone,
    };
  }
  if (step === 2 && files.length > 0)
    return {
      text: `Find the bug from the failing check above. Reply with the whole fixed ${files[0]} in one code block.`,
    };
  if (ranked.length === 0) return { text: PATCH_INSTRUCTION };
  const named = ranked.map((s) => `${s.name}() in ${s.file}`);
  return { text: `The failing tests call ${named.join(", ")}. ${PATCH_INSTRUCTION}` };
}

/** The correction after a patch reply that gave no usable edit, by why it gave none. */
export function noPatchTrip(reason: NoReplyEdits["reason"], files: readonly string[]): DetectorTrip {
  const list = files.join(", ");
  const injection = {
    no_code: "Reply with the fixed code in one code block.",
    cut: "Your reply was cut off at the length limit. Reply with the fixed function only, in one code block.",
    not_placed: `Your code block matches no function in ${list}. Reply with the whole fixed function, its name unchanged, in one code block.`,
    unchanged: `Your code is the same as what ${list} has now, so nothing changed and the check still fails. Find the line that is wrong and reply with the fixed function in one code block.`,
  }[reason];
  return {
    detector: "no_patch",
    reason: `a patch reply gave no edit (${reason.replace("_", " ")})`,
    injection,
  };
}
