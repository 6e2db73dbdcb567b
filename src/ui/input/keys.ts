import type { Key } from "ink";
import {
  deleteBackward,
  deleteForward,
  deleteToLineStart,
  deleteWordBackward,
  type EditorState,
  insertText,
  moveChar,
  moveLineEdge,
} from "./editor.ts";

/** What a key means to the prompt editor when no menu or question takes it. */
export type EditorAction =
  | { kind: "edit"; editor: EditorState }
  | { kind: "submit" }
  | { kind: "up" }
  | { kind: "down" }
  | { kind: "none" };

/**
 * The editing keys (pure): printable input inserts; Enter submits, except Shift+Enter or Alt+Enter (terminals
 * that report them), Ctrl+J, and a line ending in `\` (the `\` is replaced), which insert a newline;
 * Backspace/Delete, Ctrl+W (word), Ctrl+U (to line start), Left/Right, Home/End and Ctrl+A/Ctrl+E move or delete.
 * Up/Down are left to the caller (lines, then history).
 */
export function editorKey(editor: EditorState, input: string, key: Key): EditorAction {
  if (key.return) {
    if (key.shift || key.meta) return { kind: "edit", editor: insertText(editor, "\n") };
    if (editor.text.slice(0, editor.cursor).endsWith("\\")) {
      return { kind: "edit", editor: insertText(deleteBackward(editor), "\n") };
    }
    return { kind: "submit" };
  }
  if (input === "\n") return { kind: "edit", editor: insertText(editor, "\n") };
  if (key.upArrow) return { kind: "up" };
  if (key.downArrow) return { kind: "down" };
  if (key.backspace) return { kind: "edit", editor: deleteBackward(editor) };
  if (key.delete) return { kind: "edit", editor: deleteForward(editor) };
  if (key.leftArrow) return { kind: "edit", editor: moveChar(editor, -1) };
  if (key.rightArrow) return { kind: "edit", editor: moveChar(editor, 1) };
  if (key.home || (key.ctrl && input === "a")) return { kind: "edit", editor: moveLineEdge(editor, -1) };
  if (key.end || (key.ctrl && input === "e")) return { kind: "edit", editor: moveLineEdge(editor, 1) };
  if (key.ctrl && input === "w") return { kind: "edit", editor: deleteWordBackward(editor) };
  if (key.ctrl && input === "u") return { kind: "edit", editor: deleteToLineStart(editor) };
  if (key.ctrl || key.meta || key.escape || key.tab) return { kind: "none" };
  if (input) return { kind: "edit", editor: insertText(editor, input) };
  return { kind: "none" };
}
