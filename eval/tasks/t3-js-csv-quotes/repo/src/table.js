import { parseLine } from "./csv.js";
import { splitLines } from "./text.js";

/** Parses CSV text with a header line into an array of row objects keyed by column name. */
export function parseTable(text) {
  const [header, ...rows] = splitLines(text);
  const columns = parseLine(header);
  return rows.map((line) => {
    const values = parseLine(line);
    return Object.fromEntries(columns.map((column, i) => [column, values[i] ?? ""]));
  });
}

/** Sum of a numeric column. */
export function sumColumn(rows, column) {
  return rows.reduce((sum, row) => sum + Number(row[column]), 0);
}
