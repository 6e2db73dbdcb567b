import { createInterface } from "node:readline";
import type { PermissionRule } from "./modes.ts";
import { SANDBOX_MISSING_PREFIX, SENSITIVE_REASON_PREFIX } from "./safety.ts";

/** One approval question: the tool, a one-line summary of the call (e.g. the bash command) and why it is asked. */
export interface AskRequest {
  tool: string;
  /** The call's main argument (see mainArgument), shortened by the asker for display. */
  summary: string;
  /** The policy's reason, e.g. "auto mode: bash is not read-only". */
  reason: string;
  /** A warning shown above the question, e.g. for protected paths. */
  warning?: string;
  /**
   * The call's parsed arguments (an object, or the raw text when they are not JSON), so an asker can show the
   * exact command or the diff of an edit. Absent for callers that only have a summary.
   */
  args?: unknown;
  /** The tool call's id, when the engine gave it (a control protocol's can_use_tool names it). */
  callId?: string;
}

/**
 * A richer answer than yes/no (the interactive UI's): `allow` runs the call; `rule`, with `allow`, is an allow
 * rule to add for the rest of this session (not saved), as Claude Code's "don't ask again this session"; `note`,
 * with a denial, is the user's word to the model, added to the denial message it sees.
 */
export interface AskAnswer {
  allow: boolean;
  rule?: PermissionRule;
  note?: string;
}

/**
 * Asks the user to approve a tool call; resolves true (or an AskAnswer with `allow`) to allow, false to deny.
 * Must not reject.
 */
export type Asker = (question: AskRequest) => Promise<boolean | AskAnswer>;

/** Longest summary shown in a prompt, in characters. */
const MAX_SUMMARY_CHARS = 200;

/** The prompt line, e.g. `Allow bash: npm test? [y/N] ` (whitespace collapsed, summary cut to 200 characters). */
export function formatAskPrompt(request: AskRequest): string {
  let summary = request.summary.replace(/\s+/g, " ").trim();
  if (summary.length > MAX_SUMMARY_CHARS) summary = `${summary.slice(0, MAX_SUMMARY_CHARS - 1)}…`;
  return `Allow ${request.tool}${summary ? `: ${summary}` : ""}? [y/N] `;
}

/**
 * An asker that prompts on a terminal: writes `Allow <tool>: <summary>? [y/N] ` to `output` and reads one line
 * from `input`; `y` or `yes` (any case) allows, anything else (including end of input) denies. Questions are
 * asked one at a time even when several calls ask concurrently. In print mode, pass stdin/stderr so stdout stays
 * the answer.
 */
export function ttyAsker(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Asker {
  let queue: Promise<unknown> = Promise.resolve();
  return (request) => {
    const answer = queue.then(() => askOnce(input, output, request));
    queue = answer;
    return answer;
  };
}

function askOnce(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  request: AskRequest,
): Promise<boolean> {
  return new Promise((resolvePromise) => {
    if (request.warning) output.write(`! ${request.warning}\n`);
    output.write(formatAskPrompt(request));
    const rl = createInterface({ input, terminal: false });
    let settled = false;
    const finish = (allowed: boolean) => {
      if (settled) return;
      settled = true;
      rl.close();
      resolvePromise(allowed);
    };
    rl.once("line", (line) => finish(/^\s*y(es)?\s*$/i.test(line)));
    rl.once("close", () => {
      if (!settled) output.write("\n");
      finish(false);
    });
  });
}

/** The asker used when no terminal is attached (print mode with piped stdin): denies every request. */
export const noTtyAsker: Asker = async () => false;

/**
 * The tool result (and user-visible notice) for a call that did not run.
 * `interactive` true: a person could be asked (or the policy refused without asking); `reason` says why, e.g.
 * "the user declined" or the policy's reason. `interactive` false: the call needed approval but no terminal was
 * available; the message tells the model and the user to use `--permission-mode` (or an allow rule), except for
 * protected paths, which need interactive approval in every mode.
 */
export function permissionDeniedMessage(tool: string, reason: string, interactive: boolean): string {
  if (interactive) {
    return `Permission denied for ${tool}: ${reason}. Do not retry the same call; try another approach or ask the user.`;
  }
  if (reason.startsWith(SANDBOX_MISSING_PREFIX)) {
    return (
      `Permission denied for ${tool}: ${reason}, and there is no terminal to ask on. ` +
      "Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), or re-run owlet with --sandbox off to run bash unsandboxed."
    );
  }
  if (reason.startsWith(SENSITIVE_REASON_PREFIX)) {
    return (
      `Permission denied for ${tool}: ${reason}, and there is no terminal to ask on. ` +
      "Protected paths need interactive approval in every permission mode: run owlet in a terminal, or make this change yourself."
    );
  }
  return (
    `Permission denied for ${tool}: ${reason}, and there is no terminal to ask on. ` +
    "To allow it, re-run owlet with --permission-mode accept_edits (file edits) or --permission-mode bypass " +
    "(everything), or add an allow rule under [[permission.rules]] in .owlet/config.toml."
  );
}
