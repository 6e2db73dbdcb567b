/**
 * The plan an ACP client shows for a turn that asks for a change: the three things owlet checks before it calls
 * such a turn a success (read the code, change it, run the checks after the change; see engine/verification.ts),
 * each marked as the turn's tool calls get there. Turns that only ask a question get no plan.
 */
import type { PlanEntry } from "@agentclientprotocol/sdk";

const READ = new Set(["fs_read", "fs_ls", "fs_glob", "fs_grep"]);
const CHANGE = new Set(["fs_edit", "fs_write"]);

/** Tracks a change turn's progress from its tool results; `entries()` is the ACP plan. */
export class ChangePlan {
  private read = false;
  private changed = false;
  /** After the last change: undefined (no command yet), true (the last command passed), false (it failed). */
  private checked: boolean | undefined;

  /** Feeds one tool result; returns true when the plan changed (time to send it again). */
  record(tool: string, isError: boolean): boolean {
    const before = JSON.stringify(this.entries());
    if (READ.has(tool) && !isError) this.read = true;
    if (CHANGE.has(tool) && !isError) {
      this.changed = true;
      this.checked = undefined;
    }
    if (tool === "bash" && this.changed) this.checked = !isError;
    return JSON.stringify(this.entries()) !== before;
  }

  /** The plan's entries, in order. */
  entries(): PlanEntry[] {
    return [
      {
        content: "Read the relevant code",
        priority: "high",
        status: this.read || this.changed ? "completed" : "in_progress",
      },
      {
        content: "Make the change",
        priority: "high",
        status: this.changed ? "completed" : this.read ? "in_progress" : "pending",
      },
      {
        content: "Run the checks after the change",
        priority: "medium",
        status: this.checked === true ? "completed" : this.changed ? "in_progress" : "pending",
      },
    ];
  }
}
