import { Box, Text } from "ink";
import type { ReactNode } from "react";
import type { CompletionMenu } from "../input/completions.ts";
import type { EditorState } from "../input/editor.ts";
import { useTheme } from "../theme.ts";

/**
 * The prompt editor: `› ` then the text, the cursor as an inverse cell, continuation lines indented; a
 * placeholder when empty; under it the completion menu when one is open (the selected item inverse).
 */
export function PromptInput({
  editor,
  menu,
  selected,
  placeholder,
}: {
  editor: EditorState;
  menu: CompletionMenu | undefined;
  selected: number;
  placeholder: string;
}): ReactNode {
  const theme = useTheme();
  const lines = editor.text.split("\n");
  let offset = 0;
  const shell = editor.text.startsWith("!");
  return (
    <Box flexDirection="column">
      <Box
        borderStyle="round"
        borderColor={shell ? theme.warn : undefined}
        borderDimColor={!shell}
        paddingX={1}
        flexDirection="column"
      >
        {lines.map((line, row) => {
          const start = offset;
          offset += line.length + 1;
          const hasCursor = editor.cursor >= start && editor.cursor <= start + line.length;
          const col = editor.cursor - start;
          const prefix = row === 0 ? (shell ? "! " : "› ") : "  ";
          if (!hasCursor)
            return (
              <Text key={row}>
                <Text color={theme.user}>{prefix}</Text>
                {line}
              </Text>
            );
          const at = line.slice(col, col + 1) || " ";
          return (
            <Text key={row}>
              <Text color={theme.user}>{prefix}</Text>
              {line.slice(0, col)}
              <Text inverse>{at}</Text>
              {line.slice(col + 1)}
              {editor.text === "" ? <Text dimColor>{placeholder}</Text> : null}
            </Text>
          );
        })}
      </Box>
      {menu ? (
        <Box flexDirection="column" paddingLeft={2}>
          {menu.items.map((item, i) => (
            <Text key={item.label} wrap="truncate-end">
              <Text inverse={i === selected} color={theme.accent}>
                {item.label}
              </Text>
              {item.detail ? <Text dimColor>{`  ${item.detail}`}</Text> : null}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
