/**
 * Whether a turn's changes were checked: which files the model changed (successful fs_edit/fs_write), and how
 * the last command it ran after the last change ended. The engine uses it twice:
 * - before a small model's answer is accepted, one reminder per change to run something (or to fix what the
 *   last run showed), since small models edit and stop without looking (issue 8's transcripts);
 * - when the turn ends, so a turn whose last check after its changes failed is reported as `checks_failed`,
 *   never as success.
 */
export class VerificationTracker {
  private readonly changed = new Set<string>();
  private lastRun: { command: string; ok: boolean } | undefined;
  private reminded = false;
  /** A command ran and succeeded this turn (it may have changed files: owlet cannot tell). */
  private commandSucceeded = false;
  private remindedNoChange = false;

  /** A successful change of `path` by a write tool: any run before it no longer counts. */
  changedFile(path: string): void {
    this.changed.add(path);
    this.lastRun = undefined;
    this.reminded = false;
  }

  /** A command that ran (not one that was refused before running): `ok` is a zero exit. */
  ran(command: string, ok: boolean): void {
    if (ok) this.commandSucceeded = true;
    if (this.changed.size === 0) return;
    this.lastRun = { command, ok };
  }

  /** owlet's own run of the workspace's check after the model's answer (see needsCheck). */
  private afterAnswer: { command: string; ok: boolean } | undefined;

  /**
   * Whether the turn may have changed something and `command` (the workspace's check) is not what ran last after
   * the last change: the model ran nothing, or something else (issue 8's eval: Qwen2.5-Coder-1.5B with two-stage
   * off ran `echo … | node validate.js`, changed nothing, and its turn read as a success).
   */
  needsCheck(command: string): boolean {
    return this.mayHaveChanged() && this.lastRun?.command !== command;
  }

  /** owlet ran the check `command` after the model's answer; `ok`: it passed. A failure decides the outcome. */
  checkedAfterAnswer(command: string, ok: boolean): void {
    this.afterAnswer = { command, ok };
  }

  /** Whether the turn may have changed something: a file written or edited, or a command that succeeded. */
  mayHaveChanged(): boolean {
    return this.changed.size > 0 || this.commandSucceeded;
  }

  /**
   * For a prompt that asks for a change: the reminder to give (once) when the model answers without having
   * changed anything, else undefined.
   */
  noChangeReminder(): string | undefined {
    if (this.mayHaveChanged() || this.remindedNoChange) return undefined;
    this.remindedNoChange = true;
    return "You have not changed any file yet, but the task asks for a change. Make the change with the tools (read the file, then edit it), run the tests, then answer.";
  }

  /**
   * The reminder to give before accepting an answer, or undefined when there is none to give: nothing was
   * changed, the last run after the changes passed, or the reminder for these changes was already given.
   */
  reminder(): string | undefined {
    if (this.changed.size === 0 || this.reminded || this.lastRun?.ok) return undefined;
    this.reminded = true;
    const files = [...this.changed].join(", ");
    if (!this.lastRun) {
      return `You changed ${files} but have not run anything since. Run the tests (or the program) with bash to check your change before you answer.`;
    }
    return `The last command you ran after changing ${files} failed: \`${this.lastRun.command}\`. Read its output, fix the problem and run it again; answer only when it passes or you know why it cannot.`;
  }

  /**
   * Why the turn's outcome is not a success (the check owlet ran after the answer failed, or the last run after
   * the changes did), or undefined.
   */
  failure(): string | undefined {
    if (this.afterAnswer && !this.afterAnswer.ok)
      return `the model ended its turn, but the check owlet ran after its answer failed: \`${this.afterAnswer.command}\``;
    if (this.changed.size === 0 || !this.lastRun || this.lastRun.ok) return undefined;
    return `the model ended its turn, but the last command it ran after changing ${[...this.changed].join(", ")} failed: \`${this.lastRun.command}\``;
  }
}
