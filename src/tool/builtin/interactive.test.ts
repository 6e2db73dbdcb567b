import { describe, expect, it } from "vitest";
import { interactiveReason } from "./interactive.ts";

describe("interactiveReason", () => {
  it("refuses editors, pagers, sudo, ssh and git push, in any list or pipeline segment", () => {
    for (const c of [
      "vim x",
      "nano x",
      "less f",
      "git log | less",
      "make && sudo make install",
      "ssh host ls",
      "git push",
      "git -C repo push --force",
      "/usr/bin/top",
    ]) {
      expect(interactiveReason(c), c).toMatch(/^Refused: /);
    }
  });

  it("refuses bare REPLs but not interpreters with arguments", () => {
    expect(interactiveReason("python3")).toMatch(/REPL/);
    expect(interactiveReason("node")).toMatch(/REPL/);
    expect(interactiveReason("python3 script.py")).toBeUndefined();
    expect(interactiveReason("node -e 'console.log(1)'")).toBeUndefined();
  });

  it("ignores quoted text, assignments and ordinary commands", () => {
    expect(interactiveReason("echo 'sudo; vim' | grep vim")).toBeUndefined();
    expect(interactiveReason('git commit -m "push it"')).toBeUndefined();
    expect(interactiveReason("git stash push -m wip")).toBeUndefined();
    expect(interactiveReason("git log --grep push")).toBeUndefined();
    expect(interactiveReason("git -c push.default=current push")).toMatch(/git push/);
    expect(interactiveReason("git --git-dir .git push origin main")).toMatch(/git push/);
    expect(interactiveReason("FOO=1 npm test")).toBeUndefined();
    expect(interactiveReason("FOO=1 sudo ls")).toMatch(/sudo/);
    expect(interactiveReason("ls -la && cat README.md")).toBeUndefined();
  });
});
