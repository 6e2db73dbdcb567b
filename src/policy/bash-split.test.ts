import { expect, it } from "vitest";
import { splitBashCommand, stripAssignments } from "./bash-split.ts";

it("splits on control operators outside quotes", () => {
  expect(splitBashCommand("a && b || c; d | e |& f & g\nh")).toEqual([
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
  ]);
  expect(splitBashCommand("echo 'x && y' && echo \"a; b | c\"")).toEqual([
    "echo 'x && y'",
    'echo "a; b | c"',
  ]);
  expect(splitBashCommand("echo a\\;b; ls")).toEqual(["echo a\\;b", "ls"]);
});

it("keeps redirections intact", () => {
  expect(splitBashCommand("make 2>&1 | tee log")).toEqual(["make 2>&1", "tee log"]);
  expect(splitBashCommand("make &> log && ls")).toEqual(["make &> log", "ls"]);
});

it("adds substitution bodies and strips grouping", () => {
  expect(splitBashCommand("echo $(rm a; rm b) done")).toEqual(["echo $(rm a; rm b) done", "rm a", "rm b"]);
  expect(splitBashCommand('echo "$(whoami)"')).toEqual(['echo "$(whoami)"', "whoami"]);
  expect(splitBashCommand("echo `id`")).toEqual(["echo `id`", "id"]);
  expect(splitBashCommand("echo '$(not run)'")).toEqual(["echo '$(not run)'"]);
  expect(splitBashCommand("(cd x && make) || { echo fail; }")).toEqual(["cd x", "make", "echo fail"]);
  expect(splitBashCommand("echo $(date)")).toEqual(["echo $(date)", "date"]);
  expect(splitBashCommand("  ")).toEqual([]);
});

it("strips leading assignments", () => {
  expect(stripAssignments("FOO=1 BAR='a b' rm x")).toBe("rm x");
  expect(stripAssignments("rm FOO=1")).toBe("rm FOO=1");
});

it("does not let an escaped quote in ANSI-C $'…' quoting hide a separator", () => {
  // bash reads $'\'' as one quoted "'", so `rm -rf x` runs as a second command
  expect(splitBashCommand("echo $'\\''; rm -rf x #'")).toEqual(["echo $'\\''", "rm -rf x #'"]);
  expect(splitBashCommand("echo $'a;b' && ls")).toEqual(["echo $'a;b'", "ls"]);
  expect(splitBashCommand('echo "$\'"; ls')).toEqual(['echo "$\'"', "ls"]);
});

it("adds process substitution bodies", () => {
  expect(splitBashCommand("git diff <(rm -rf x)")).toEqual(["git diff <(rm -rf x)", "rm -rf x"]);
  expect(splitBashCommand("echo hi > >(rm a; rm b)")).toEqual(["echo hi > >(rm a; rm b)", "rm a", "rm b"]);
  expect(splitBashCommand("echo '<(not run)'")).toEqual(["echo '<(not run)'"]);
});
