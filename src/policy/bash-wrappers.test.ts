import { beforeAll, describe, expect, it } from "vitest";
import { parseSimpleCommand } from "../tool/shell/bash-words.ts";
import { loadBashGrammar } from "../tool/shell/grammar.ts";
import { wrappedCommands } from "./bash-wrappers.ts";

beforeAll(() => loadBashGrammar());

describe("wrappedCommands", () => {
  const wrapped = (text: string) => wrappedCommands(parseSimpleCommand(text).words);
  it("unwraps env, command, exec, nohup, sudo, xargs, nice, timeout and paths", () => {
    expect(wrapped("env -i FOO=1 /bin/rm -rf x").commands).toEqual([["/bin/rm", "-rf", "x"]]);
    expect(wrapped("sudo -u root -- nohup rm x").commands).toEqual([
      ["nohup", "rm", "x"],
      ["rm", "x"],
    ]);
    expect(wrapped("xargs -0 -I{} rm {}").commands).toEqual([["rm", "{}"]]);
    expect(wrapped("xargs -n 1 rm").commands).toEqual([["rm"]]);
    expect(wrapped("timeout -s KILL 5 command -p exec -a n rm x").commands.at(-1)).toEqual(["rm", "x"]);
    expect(wrapped("nice -n 5 rm x").commands).toEqual([["rm", "x"]]);
    expect(wrapped("find . -name '*.o' -exec rm {} \\; -print").commands).toEqual([["rm", "{}"]]);
    expect(wrapped("busybox rm -rf x").commands).toEqual([["rm", "-rf", "x"]]);
    expect(wrapped("flock -w 5 /tmp/l rm x").commands).toEqual([["rm", "x"]]);
    expect(wrapped("chrt -f 10 strace -o log rm x").commands.at(-1)).toEqual(["rm", "x"]);
    expect(wrapped("env").commands).toEqual([]);
    expect(wrapped("git status").commands).toEqual([]);
  });

  it("returns the script of sh -c, bash -lc, eval and env -S", () => {
    expect(wrapped("bash -c 'rm -rf x'").scripts).toEqual(["rm -rf x"]);
    expect(wrapped('sh -ec "cd y && rm x" arg0').scripts).toEqual(["cd y && rm x"]);
    expect(wrapped("/usr/bin/env bash -o pipefail -lc 'rm x'").scripts).toEqual(["rm x"]);
    expect(wrapped("eval rm -rf x").scripts).toEqual(["rm -rf x"]);
    expect(wrapped("env -S 'rm -rf x'").scripts).toEqual(["rm -rf x"]);
    expect(wrapped("bash script.sh").scripts).toEqual([]);
    expect(wrapped("watch -n 1 rm -rf x").scripts).toEqual(["rm -rf x"]);
    expect(wrapped("su -c 'rm -rf x' root").scripts).toEqual(["rm -rf x"]);
    expect(wrapped("script -q -c 'rm -rf x' /dev/null").scripts).toEqual(["rm -rf x"]);
    expect(wrapped("flock /tmp/l -c 'rm -rf x'").scripts).toEqual(["rm -rf x"]);
  });
});
