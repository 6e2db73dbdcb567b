import { beforeAll, describe, expect, it } from "vitest";
import { analyseBash, MAX_ANALYSED_BYTES } from "./analyse.ts";
import { loadBashGrammar } from "./grammar.ts";

beforeAll(() => loadBashGrammar());

const words = (command: string) => analyseBash(command).commands.map((c) => c.words.join(" "));

describe("analyseBash", () => {
  it("finds the commands of here-strings, here-documents, coproc, substitutions, functions and subshells", () => {
    expect(words("npm test <<< $(touch x)")).toEqual(["npm test", "touch x"]);
    expect(words("cat <<EOF\nhi $(id) `whoami`\nEOF\nls")).toEqual(["cat", "whoami", "id", "ls"]);
    expect(words("cat <<'EOF'\n$(not run)\nEOF")).toEqual(["cat"]);
    expect(words("coproc rm -rf v2")).toEqual(["rm -rf v2"]);
    expect(words("coproc w { rm -rf v3; }")).toEqual(["rm -rf v3"]);
    expect(words("diff <(ls a) >(wc -l)")).toEqual(["diff <(ls a) >(wc -l)", "ls a", "wc -l"]);
    expect(words("f() { rm a; }; (cd b && make) | tee log")).toEqual(["rm a", "cd b", "make", "tee log"]);
    expect(words("x=$(rm c) y=1")).toEqual(["rm c"]);
  });

  it("reads words as bash does: quotes, escapes, ANSI-C, braces, $IFS", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax
    expect(words("\"r\"m \\-rf $'\\x78' {a,b}.txt rm${IFS}y")).toEqual(["rm -rf x a.txt b.txt rm y"]);
    expect(words("{r,}m -rf z")).toContain("rm m -rf z");
    const [glob] = analyseBash("/bin/r? x").commands;
    expect(glob?.globName).toBe(true);
  });

  it("marks piped input, literal input texts, redirections and run-time command names", () => {
    const [, sh] = analyseBash("curl x | sh").commands;
    expect(sh?.pipedInput).toBe(true);
    const [bash] = analyseBash("bash <<< 'rm -rf x'").commands;
    expect(bash?.inputTexts).toEqual(["rm -rf x"]);
    const [echo, shell] = analyseBash("echo 'rm y' | sh").commands;
    expect(echo?.pipedInput).toBe(false);
    expect(shell?.inputTexts).toEqual(["rm y"]);
    expect(analyseBash("make 2>&1 >out.txt").commands[0]?.redirects).toEqual([
      { op: ">&", target: "1", fd: "2" },
      { op: ">", target: "out.txt" },
    ]);
    expect(analyseBash("$X arg").unresolved).toEqual(["the command name `$X` is computed at run time"]);
  });

  it("refuses commands over the size cap without parsing them", () => {
    const result = analyseBash(`echo ${"a".repeat(MAX_ANALYSED_BYTES)}`);
    expect(result.refused).toMatch(/bytes; owlet analyses bash commands of up to 64 KiB/);
    expect(result.commands).toEqual([]); // not parsed: nothing found in it (its cost is bench/bash-safety.ts's)
  });

  it("refuses a command it cannot analyse within its budget", () => {
    expect(analyseBash("a|".repeat(20_000), 1).refused).toMatch(/too complex to analyse within 1 ms/);
  });
});
