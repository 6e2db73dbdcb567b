import { Box, Text, useInput } from "ink";
import { type ReactNode, useState } from "react";
import { type AskAnswer, type AskRequest, describeRuleLine, sessionRuleFor } from "../../policy/index.ts";
import { editDiff } from "../render/edit-diff.ts";
import { useTheme } from "../theme.ts";
import { DiffView } from "./diff-view.tsx";

/** The three answers, in order. */
const CHOICES = ["allow once", "allow always", "deny"] as const;

/**
 * A permission question: the tool and the exact command (bash) or the diff (fs_edit, fs_write), the policy's
 * reason, and three answers — allow once (`y`, `1`), allow always for this session as a rule (`a`, `2`; the rule
 * is shown), deny (`n`, `3`, Esc) with a note to the model typed on the next line (Enter sends it, empty for none).
 * Up/Down and Enter choose too.
 */
export function PermissionPrompt({
  request,
  cwd,
  onAnswer,
}: {
  request: AskRequest;
  cwd: string;
  onAnswer: (answer: AskAnswer) => void;
}): ReactNode {
  const theme = useTheme();
  const [selected, setSelected] = useState(0);
  const [note, setNote] = useState<string | undefined>(undefined);
  const rule = sessionRuleFor(request.tool, request.args ?? request.summary);
  const diff =
    request.args !== undefined && typeof request.args === "object"
      ? editDiff(request.tool, JSON.stringify(request.args), cwd, undefined, 30)
      : undefined;

  const choose = (index: number) => {
    if (index === 0) onAnswer({ allow: true });
    else if (index === 1) onAnswer({ allow: true, rule });
    else setNote("");
  };

  useInput((input, key) => {
    if (note !== undefined) {
      if (key.return) onAnswer({ allow: false, ...(note.trim() ? { note: note.trim() } : {}) });
      else if (key.escape) onAnswer({ allow: false });
      else if (key.backspace || key.delete) setNote(note.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) setNote(note + input.replace(/[\r\n]/g, " "));
      return;
    }
    if (key.escape) return onAnswer({ allow: false });
    if (key.upArrow) return setSelected((s) => (s + CHOICES.length - 1) % CHOICES.length);
    if (key.downArrow || key.tab) return setSelected((s) => (s + 1) % CHOICES.length);
    if (key.return) return choose(selected);
    const k = input.toLowerCase();
    if (k === "y" || k === "1") return choose(0);
    if (k === "a" || k === "2") return choose(1);
    if (k === "n" || k === "3") return choose(2);
  });

  const labels = [
    "Yes, allow once",
    `Yes, and allow always this session (${describeRuleLine(rule)})`,
    "No, and tell the model why (type a note, Enter)",
  ];
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} paddingX={1}>
      {request.warning ? <Text color={theme.warn}>{`! ${request.warning}`}</Text> : null}
      <Text bold>{`Allow ${request.tool}?`}</Text>
      {diff ? (
        <Box flexDirection="column">
          <Text>{diff.path}</Text>
          <DiffView diff={diff} />
        </Box>
      ) : (
        <Box paddingLeft={2}>
          <Text color={theme.accent}>
            {request.tool === "bash" ? `$ ${request.summary}` : request.summary}
          </Text>
        </Box>
      )}
      <Text dimColor>{request.reason}</Text>
      {labels.map((label, i) => (
        <Text
          key={label}
          inverse={i === selected && note === undefined}
          color={i === 2 ? theme.error : undefined}
        >
          {`${i + 1}. ${label}`}
        </Text>
      ))}
      {note !== undefined ? (
        <Text>
          <Text color={theme.error}>{"note to the model: "}</Text>
          <Text>{note}</Text>
          <Text inverse> </Text>
        </Text>
      ) : (
        <Text dimColor>{"y / a / n · Esc denies"}</Text>
      )}
    </Box>
  );
}
