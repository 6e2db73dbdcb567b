import { Box, Static, Text, useInput, usePaste, useWindowSize } from "ink";
import { type ReactNode, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { UiController } from "../controller.ts";
import { completionsFor } from "../input/completions.ts";
import {
  deleteBackward,
  type EditorState,
  EMPTY_EDITOR,
  editorWith,
  insertText,
  moveLine,
} from "../input/editor.ts";
import { editorKey } from "../input/keys.ts";
import { useTheme } from "../theme.ts";
import { Activity, ProgressBar } from "./activity.tsx";
import { EntryView } from "./entry-view.tsx";
import { Markdown } from "./markdown.tsx";
import { PermissionPrompt } from "./permission-prompt.tsx";
import { Picker } from "./picker.tsx";
import { PromptInput } from "./prompt-input.tsx";
import { StatusLine } from "./status-line.tsx";
import { ToolLine } from "./tool-line.tsx";

/** Two Ctrl+C within this many ms quit. */
export const DOUBLE_CTRL_C_MS = 2000;
/** A paste with more lines than this (or longer than PASTE_CHARS) is held as one block behind a placeholder. */
const PASTE_LINES = 2;
const PASTE_CHARS = 400;

/**
 * The interactive UI: the printed transcript (Ink's Static: printed once, then the terminal's scrollback), the
 * turn under way (tool lines, streaming markdown, the activity line), then the permission question, a picker or
 * the prompt editor, and the status line. Keys: see KEY_HELP.
 */
export function App({ controller }: { controller: UiController }): ReactNode {
  const theme = useTheme();
  const state = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const { columns } = useWindowSize();
  const width = Math.max(20, columns || 80);
  const [editor, setEditor] = useState<EditorState>(EMPTY_EDITOR);
  const [selected, setSelected] = useState(0);
  const [menuClosedFor, setMenuClosedFor] = useState<string | undefined>(undefined);
  const [hint, setHint] = useState<string | undefined>(undefined);
  const lastCtrlC = useRef(0);
  const pastes = useRef(new Map<string, string>());

  const menu = useMemo(() => {
    if (menuClosedFor === editor.text) return undefined;
    return completionsFor(editor, controller.registry, controller);
  }, [editor, menuClosedFor, controller]);
  const inputActive = !state.ask && !state.pick && !state.exiting;

  const update = (next: EditorState) => {
    setEditor(next);
    setSelected(0);
    if (hint) setHint(undefined);
  };

  const submit = (text: string) => {
    let full = text;
    for (const [marker, content] of pastes.current) full = full.split(marker).join(content);
    pastes.current.clear();
    update(EMPTY_EDITOR);
    setMenuClosedFor(undefined);
    controller.submit(full);
  };

  usePaste(
    (text) => {
      const clean = text.replace(/\r\n?/g, "\n");
      const lines = clean.split("\n").length;
      if (lines > PASTE_LINES || clean.length > PASTE_CHARS) {
        const marker = `[Pasted text #${pastes.current.size + 1}: ${lines} lines]`;
        pastes.current.set(marker, clean);
        update(insertText(editor, marker));
      } else update(insertText(editor, clean));
    },
    { isActive: inputActive },
  );

  useInput(
    (input, key) => {
      if (key.ctrl && input === "c") {
        const now = Date.now();
        if (now - lastCtrlC.current < DOUBLE_CTRL_C_MS) {
          controller.quit();
          return;
        }
        lastCtrlC.current = now;
        if (editor.text) update(EMPTY_EDITOR);
        controller.interrupt();
        setHint("press Ctrl+C again to quit");
        return;
      }
      if (key.ctrl && input === "d") {
        if (editor.text === "") controller.quit();
        return;
      }
      if (key.ctrl && input === "o") {
        controller.expandLastTools();
        return;
      }
      if (key.tab && key.shift) {
        controller.cycleMode();
        return;
      }
      if (key.escape) {
        if (menu) setMenuClosedFor(editor.text);
        else if (state.busy) controller.interrupt();
        return;
      }
      if (menu) {
        if (key.upArrow) return setSelected((s) => (s + menu.items.length - 1) % menu.items.length);
        if (key.downArrow) return setSelected((s) => (s + 1) % menu.items.length);
        const item = menu.items[Math.min(selected, menu.items.length - 1)];
        if (key.tab && item) return update(item.result);
        if (key.return && item && menu.kind === "command" && !key.shift && !key.meta) {
          // Enter on a command menu runs the highlighted command (arguments can follow with Tab first).
          return submit(item.result.text.trim());
        }
      }
      if (input.length > 1 && input.includes("\r") && !key.ctrl && !key.meta) {
        // Typed-ahead keys arrive in one chunk ("hi\r"): each CR is an Enter (a paste comes through usePaste).
        let current = editor;
        const parts = input.split("\r");
        parts.forEach((part, i) => {
          current = insertText(current, part);
          if (i < parts.length - 1) {
            if (current.text.slice(0, current.cursor).endsWith("\\")) {
              current = insertText(deleteBackward(current), "\n");
            } else {
              submit(current.text);
              current = EMPTY_EDITOR;
            }
          }
        });
        update(current);
        return;
      }
      const action = editorKey(editor, input, key);
      switch (action.kind) {
        case "edit":
          update(action.editor);
          return;
        case "submit":
          submit(editor.text);
          return;
        case "up": {
          const moved = moveLine(editor, -1);
          if (moved) return setEditor(moved);
          const previous = controller.history.previous(editor.text);
          if (previous !== undefined) update(editorWith(previous));
          return;
        }
        case "down": {
          const moved = moveLine(editor, 1);
          if (moved) return setEditor(moved);
          const next = controller.history.next();
          if (next !== undefined) update(editorWith(next));
          return;
        }
        default:
          return;
      }
    },
    { isActive: inputActive },
  );

  const placeholder = state.busy
    ? " type ahead: sent when the model is done"
    : " ask, /command, @file, !shell";
  return (
    <Box flexDirection="column" width={width}>
      <Static key={state.screen} items={state.done}>
        {(entry) => (
          <Box key={entry.id} width={width} flexDirection="column">
            <EntryView entry={entry} />
          </Box>
        )}
      </Static>
      {state.live.map((t) => (
        <ToolLine key={t.id} entry={t} />
      ))}
      {state.streaming ? (
        <Box marginTop={state.streamingContinued ? 0 : 1}>
          <Text color={theme.accent}>{state.streamingContinued ? "  " : "● "}</Text>
          <Box flexDirection="column" flexShrink={1}>
            <Markdown text={state.streaming} />
          </Box>
        </Box>
      ) : null}
      {state.reasoning && !state.streaming ? (
        <Text dimColor italic wrap="truncate-start">
          {state.reasoning.replace(/\s+/g, " ").slice(-width * 2)}
        </Text>
      ) : null}
      {state.busy || state.phase === "setup" ? (
        <Activity
          phase={state.phase}
          since={state.phaseStartedAt}
          firstTokenAt={state.firstTokenAt}
          chars={state.roundChars}
          queued={state.queued.length}
        />
      ) : null}
      {state.progress ? <ProgressBar progress={state.progress} width={width} /> : null}
      {state.ask ? (
        <PermissionPrompt
          request={state.ask.request}
          cwd={controller.cwd}
          onAnswer={(a) => controller.answer(a)}
        />
      ) : state.pick ? (
        <Picker pick={state.pick} onDone={(v) => controller.picked(v)} />
      ) : (
        <PromptInput editor={editor} menu={menu} selected={selected} placeholder={placeholder} />
      )}
      {hint ? <Text dimColor>{hint}</Text> : null}
      <StatusLine status={state.status} width={width} />
    </Box>
  );
}
