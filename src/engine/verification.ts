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

  /** A successful change of `path` by a write tool: any run before it no longer counts. */
  changedFile(path: string): void {
    this.changed.add(path);
    this.lastRun = undefined;
    this.reminded = false;
  }

  /** A command that ran (not one that was refused before running): `ok` is a zero exit. */
  ran(command: string, ok: boolean): void {
    if (this.changed.size === 0) return;
    this.lastRun = { command, ok };
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

  /** Why the turn's outcome is not a success (the last run after the changes failed), or undefined. */
  failure(): string | undefined {
    if (this.changed.size === 0 || !this.lastRun || this.lastRun.ok) return undefined;
    return `the model ended its turn, but the last command it ran after changing ${[...this.changed].join(", ")} failed: \`${this.lastRun.command}\``;
  }
}
