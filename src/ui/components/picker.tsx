import { Box, Text, useInput } from "ink";
import { type ReactNode, useState } from "react";
import type { PendingPick } from "../controller.ts";
import { useTheme } from "../theme.ts";

/** A list to choose from: Up/Down (or a digit) and Enter choose, Esc closes it without a choice. */
export function Picker({
  pick,
  onDone,
}: {
  pick: PendingPick;
  onDone: (value: string | undefined) => void;
}): ReactNode {
  const theme = useTheme();
  const [selected, setSelected] = useState(0);
  useInput((input, key) => {
    if (key.escape) return onDone(undefined);
    if (key.upArrow) return setSelected((s) => Math.max(0, s - 1));
    if (key.downArrow) return setSelected((s) => Math.min(pick.items.length - 1, s + 1));
    if (key.return) return onDone(pick.items[selected]?.value);
    const n = Number(input);
    if (Number.isInteger(n) && n >= 1 && n <= pick.items.length) onDone(pick.items[n - 1]!.value);
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>{pick.title}</Text>
      {pick.items.map((item, i) => (
        <Text key={item.value} inverse={i === selected} wrap="truncate-end">
          {`${i + 1}. ${item.label}`}
        </Text>
      ))}
      <Text dimColor>{"↑/↓ and Enter · Esc cancels"}</Text>
    </Box>
  );
}
