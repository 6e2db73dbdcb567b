import { beforeAll, expect, it } from "vitest";
import { splitBashCommand } from "./bash-split.ts";
import { loadBashGrammar } from "./grammar.ts";

beforeAll(() => loadBashGrammar());

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

it("does not let an escaped quote in ANSI-C $'…' quoting hide a separator", () => {
  // bash reads $'\'' as one quoted "'", so `rm -rf x` runs as a second command
  expect(splitBashCommand("echo $'\\''; rm -rf x #'")).toEqual(["echo $'\\''", "rm -rf x"]);
  expect(splitBashCommand("echo $'a;b' && ls")).toEqual(["echo $'a;b'", "ls"]);
  expect(splitBashCommand('echo "$\'"; ls')).toEqual(['echo "$\'"', "ls"]);
});

it("adds process substitution bodies", () => {
  expect(splitBashCommand("git diff <(rm -rf x)")).toEqual(["git diff <(rm -rf x)", "rm -rf x"]);
  expect(splitBashCommand("echo hi > >(rm a; rm b)")).toEqual(["echo hi > >(rm a; rm b)", "rm a", "rm b"]);
  expect(splitBashCommand("echo '<(not run)'")).toEqual(["echo '<(not run)'"]);
});

it("reads ANSI-C quoting inside a substitution as bash does", () => {
  // bash runs `echo "')"` and then `rm x`: the `)` inside $'…' does not close the substitution
  expect(splitBashCommand("echo $(echo $'\\')'; rm x)")).toContain("rm x");
  expect(splitBashCommand("echo $'a\\nb' && ls")).toEqual(["echo $'a\\nb'", "ls"]);
});

it("ends a comment at the newline, so a quote inside it hides nothing", () => {
  expect(splitBashCommand("ls # don't\nrm -rf x")).toEqual(["ls", "rm -rf x"]);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
  expect(splitBashCommand("echo a#b; echo ${#x}")).toEqual(["echo a#b", "echo ${#x}"]);
  expect(splitBashCommand("echo $(ls # )\nrm x)")).toContain("rm x");
});

it("keeps case patterns inside a substitution from closing it", () => {
  // the grammar reads the case statement, so its command comes out alone (no `case y in y)` or `esac` parts)
  expect(splitBashCommand('echo "$(case y in y) rm x;; esac)"; ls')).toEqual([
    'echo "$(case y in y) rm x;; esac)"',
    "rm x",
    "ls",
  ]);
});

it("skips here-document bodies, so a quote in one hides nothing, and splits their substitutions", () => {
  expect(splitBashCommand("cat <<EOF\ndon't\nEOF\nrm -rf x")).toEqual(["cat <<EOF", "rm -rf x"]);
  expect(splitBashCommand("cat <<-'EOF' > f\n\t$(not run)'\n\tEOF\nls")).toEqual(["cat <<-'EOF' > f", "ls"]);
  // tree-sitter-bash cannot parse two here-documents on one line: the line is read again as plain commands
  // (and the call asks), so the substitutions in both bodies are still found
  const two = splitBashCommand("cat <<A; cat <<B\n$(id)\nA\n`whoami`\nB\nls");
  for (const part of ["id", "whoami", "ls"]) expect(two).toContain(part);
  expect(splitBashCommand("( cat <<EOF\n)don't\nEOF\n); rm x")).toEqual(["cat <<EOF", "rm x"]);
  // without its delimiter line the body is lexed as commands rather than skipped
  expect(splitBashCommand("cat <<EOF\nrm -rf x")).toContain("rm -rf x");
});

it("reads arithmetic as arithmetic: << is a shift, but substitutions inside still run", () => {
  expect(splitBashCommand("echo $((1 << 2))\nrm -rf x # '")).toEqual(["echo $((1 << 2))", "rm -rf x"]);
  // an arithmetic command runs no command itself; the substitution inside it does
  expect(splitBashCommand("(( x = 16#ff << $(id) )); ls")).toEqual(["id", "ls"]);
});
