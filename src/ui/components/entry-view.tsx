import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { useTheme } from "../theme.ts";
import type { Entry } from "../transcript.ts";
import { Markdown } from "./markdown.tsx";
import { ToolLine } from "./tool-line.tsx";

/** One transcript entry as printed. */
export function EntryView({ entry }: { entry: Entry }): ReactNode {
  const theme = useTheme();
  switch (entry.kind) {
    case "banner":
      return (
        <Box flexDirection="column" marginBottom={1}>
          <Text bold color={theme.accent}>
            {entry.lines[0]}
          </Text>
          {entry.lines.slice(1).map((l) => (
            <Text key={l} dimColor>
              {l}
            </Text>
          ))}
        </Box>
      );
    case "user":
      return (
        <Box marginTop={1}>
          <Text color={theme.user} bold>
            {"› "}
          </Text>
          <Text>{entry.text}</Text>
        </Box>
      );
    case "assistant":
      return (
        <Box marginTop={entry.continued ? 0 : 1}>
          <Text color={theme.accent}>{entry.continued ? "  " : "● "}</Text>
          <Box flexDirection="column" flexShrink={1}>
            <Markdown text={entry.text} />
          </Box>
        </Box>
      );
    case "reasoning":
      return (
        <Text dimColor italic>
          {entry.text}
        </Text>
      );
    case "tool":
      return <ToolLine entry={entry} />;
    case "notice": {
      const color = entry.tone === "error" ? theme.error : entry.tone === "warn" ? theme.warn : undefined;
      return (
        <Text color={color} dimColor={entry.tone === "dim"}>
          {entry.tone === "error"
            ? `✗ ${entry.text}`
            : entry.tone === "warn"
              ? `! ${entry.text}`
              : entry.text}
        </Text>
      );
    }
    case "turn":
      return (
        <Text color={entry.ok ? undefined : theme.error} dimColor={entry.ok}>
          {entry.ok ? `✓ ${entry.text}` : `✗ ${entry.text}`}
        </Text>
      );
  }
}
