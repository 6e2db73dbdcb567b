/** The non-blank lines of a text, with \r\n or \n line ends. */
export function splitLines(text) {
  return text.split(/\r?\n/).filter((line) => line.trim() !== "");
}
