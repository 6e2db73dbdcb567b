/** Reserved words tree-sitter-bash reads as command names: `coproc [NAME] [{]` and `time [-p]` before a command. */

/** Removes `coproc`, `coproc NAME {`/`(`, and a leading `{`/`(` from the words (tree-sitter-bash reads coproc as a command). */
export function stripCoproc(words: string[], dynamic: boolean[]): void {
  const drop = (n: number) => {
    words.splice(0, n);
    dynamic.splice(0, n);
  };
  if (words[0] !== "coproc" || dynamic[0]) return;
  drop(1);
  if (words.length >= 2 && /^[A-Za-z_]\w*$/.test(words[0]!) && /^[{(]$/.test(words[1]!)) drop(2);
  else if (/^[{(]$/.test(words[0] ?? "")) drop(1);
}

/** `time` and `time -p` before a command (a reserved word tree-sitter-bash reads as a command name). */
export const TIME_PREFIX = /^time\s+(?:-p\s+)?/;

/** Removes a leading `time [-p]` from the words; true when it did. */
export function stripTime(words: string[], dynamic: boolean[]): boolean {
  if (words[0] !== "time" || dynamic[0] || words.length < 2) return false;
  const n = words[1] === "-p" && words.length > 2 ? 2 : 1;
  words.splice(0, n);
  dynamic.splice(0, n);
  return true;
}
