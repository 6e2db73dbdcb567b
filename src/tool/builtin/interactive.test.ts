import { beforeAll, describe, expect, it } from "vitest";
import { loadBashGrammar } from "../shell/grammar.ts";
import { interactiveReason } from "./interactive.ts";

beforeAll(() => loadBashGrammar());

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
    expect(interactiveReason("python3 < script.py")).toBeUndefined();
    expect(interactiveReason("if true; then python3; fi")).toMatch(/REPL/);
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

  it("finds the git subcommand after global options, quoted values included", () => {
    for (const c of [
      'git -C "my repo" push',
      "git --no-pager -C 'a b' push origin",
      "git -c 'user.name=A B' push",
      "git --git-dir=.git --work-tree . push",
      "git --config-env core.sshCommand=SSH push",
      '"git" push',
      "/usr/bin/git -P push",
    ]) {
      expect(interactiveReason(c), c).toMatch(/git push/);
    }
    for (const c of ["git --no-pager log", 'git -C "push dir" log', "git -c push.default=current status"]) {
      expect(interactiveReason(c), c).toBeUndefined();
    }
  });
});
