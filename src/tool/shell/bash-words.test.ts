import { beforeAll, describe, expect, it } from "vitest";
import { parseSimpleCommand, writesToFile } from "./bash-words.ts";
import { loadBashGrammar } from "./grammar.ts";

beforeAll(() => loadBashGrammar());

describe("parseSimpleCommand", () => {
  it("removes quotes and escapes and separates assignments and redirections", () => {
    expect(parseSimpleCommand("FOO='a b' \"r\"m -rf $'x\\ty' \\z 2>&1 >out.txt")).toEqual({
      assignments: ["FOO=a b"],
      words: ["rm", "-rf", "x\ty", "z"],
      redirects: [
        { op: ">&", target: "1", fd: "2" },
        { op: ">", target: "out.txt" },
      ],
    });
    expect(parseSimpleCommand("git log>log.txt 'a > b'").redirects).toEqual([{ op: ">", target: "log.txt" }]);
    expect(parseSimpleCommand("diff <(ls a) >(cat)").words).toEqual(["diff", "<(ls a)", ">(cat)"]);
    expect(parseSimpleCommand('echo "$(a "b c")" &>> f')).toEqual({
      assignments: [],
      words: ["echo", '$(a "b c")'],
      redirects: [{ op: "&>>", target: "f" }],
    });
  });

  it("tells file output from descriptor duplication and /dev/null", () => {
    const writes = (text: string) => writesToFile(parseSimpleCommand(text));
    for (const text of ["a > f", "a >> f", "a >| f", "a &> f", "a 2> f", "a >& f", "a <> f"]) {
      expect(writes(text), text).toBe(true);
    }
    for (const text of ["a 2>&1", "a >&2", "a 2>/dev/null", "a < in", "a <<< x", "a 'x>y'", "a 2>&-"]) {
      expect(writes(text), text).toBe(false);
    }
  });
});
