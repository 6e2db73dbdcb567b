import { Box, Text } from "ink";
import type { ReactNode } from "react";
import type { EditDiff } from "../render/edit-diff.ts";
import { useTheme } from "../theme.ts";

/** A file change as a coloured diff: removed lines red with `-`, added green with `+`, hunk headers dim. */
export function DiffView({ diff }: { diff: EditDiff }): ReactNode {
  const theme = useTheme();
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {diff.lines.map((l, i) => (
        <Text
          key={i}
          color={l.kind === "+" ? theme.added : l.kind === "-" ? theme.removed : undefined}
          dimColor={l.kind === "@" || l.kind === " "}
          wrap="truncate-end"
        >
          {l.kind === "@" ? l.text : `${l.kind} ${l.text}`}
        </Text>
      ))}
      {diff.hidden > 0 ? <Text dimColor>{`… ${diff.hidden} more lines`}</Text> : null}
    </Box>
  );
}
