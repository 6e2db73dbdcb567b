import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { highlightCode } from "../render/highlight.ts";
import { useTheme } from "../theme.ts";

/** A fenced code block: a dim rule with its language, then the code highlighted (plain under NO_COLOR). */
export function CodeBlock({ code, lang }: { code: string; lang: string }): ReactNode {
  const theme = useTheme();
  const segments = highlightCode(code, lang, theme.color);
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {lang ? <Text dimColor>{lang}</Text> : null}
      <Text>
        {segments.map((s, i) => (
          <Text key={i} color={s.color} dimColor={s.dim === true}>
            {s.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
