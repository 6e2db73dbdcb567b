import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { shortArgs } from "../controller.ts";
import { useTheme } from "../theme.ts";
import type { ToolEntry } from "../transcript.ts";
import { DiffView } from "./diff-view.tsx";

/** Lines of a result shown when expanded. */
const EXPANDED_LINES = 200;

/** One line about a result: its first line that is not blank (cut) and how many lines follow it. */
export function resultSummary(output: string): string {
  const lines = output
    .replace(/^\s*\n/, "")
    .replace(/\s+$/, "")
    .split("\n");
  const first = (lines[0] ?? "").trim();
  const cut = first.length > 70 ? `${first.slice(0, 69)}…` : first;
  return lines.length > 1 ? `${cut} (+${lines.length - 1} lines)` : cut || "(no output)";
}

/**
 * A tool call as a compact line — `● bash npm test` — and under it one line of its result (`⎿ …`), or the whole
 * result when `expanded`; a successful edit or write shows its diff; a denial says so.
 */
export function ToolLine({ entry, expanded = false }: { entry: ToolEntry; expanded?: boolean }): ReactNode {
  const theme = useTheme();
  const mark = entry.state === "running" ? "○" : "●";
  const color =
    entry.state === "ok"
      ? theme.ok
      : entry.state === "error" || entry.state === "denied"
        ? theme.error
        : theme.tool;
  const output = entry.output ?? "";
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={color}>{`${mark} `}</Text>
        <Text bold>{entry.user ? "!" : entry.name}</Text>
        <Text>{` ${shortArgs(entry.args)}`}</Text>
      </Text>
      {entry.state === "running" ? null : entry.state === "denied" ? (
        <Text color={theme.error} wrap="truncate-end">{`  ⎿ denied: ${resultSummary(output)}`}</Text>
      ) : expanded || entry.user ? (
        <Box paddingLeft={4} flexDirection="column">
          <Text>{output.split("\n").slice(0, EXPANDED_LINES).join("\n") || "(no output)"}</Text>
        </Box>
      ) : (
        <Text
          dimColor={entry.state === "ok"}
          color={entry.state === "error" ? theme.error : undefined}
          wrap="truncate-end"
        >
          {`  ⎿ ${resultSummary(output)}`}
        </Text>
      )}
      {entry.diff && entry.state === "ok" ? <DiffView diff={entry.diff} /> : null}
    </Box>
  );
}
