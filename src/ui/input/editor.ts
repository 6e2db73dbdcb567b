/**
 * The prompt editor's text and cursor as a value (pure functions, no terminal): insert, delete, move by character,
 * word and line, and the row/column of the cursor for drawing. Text may hold newlines (multi-line prompts); the
 * cursor is an offset into `text` in UTF-16 code units, always at a code-point boundary.
 */
export interface EditorState {
  text: string;
  /** 0 ≤ cursor ≤ text.length. */
  cursor: number;
}

/** An empty editor. */
export const EMPTY_EDITOR: EditorState = { text: "", cursor: 0 };

/** `state` with `input` inserted at the cursor (which ends after it). CR and CRLF become LF. */
export function insertText(state: EditorState, input: string): EditorState {
  const clean = input.replace(/\r\n?/g, "\n");
  const text = state.text.slice(0, state.cursor) + clean + state.text.slice(state.cursor);
  return { text, cursor: state.cursor + clean.length };
}

/** Length of the code point that ends at `offset` (1 or 2 code units). */
function before(text: string, offset: number): number {
  if (offset <= 0) return 0;
  const low = text.charCodeAt(offset - 1);
  return offset >= 2 && low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
}

/** Length of the code point that starts at `offset` (1 or 2 code units). */
function after(text: string, offset: number): number {
  if (offset >= text.length) return 0;
  const high = text.charCodeAt(offset);
  return high >= 0xd800 && high <= 0xdbff && offset + 1 < text.length ? 2 : 1;
}

/** Backspace: the code point before the cursor removed. */
export function deleteBackward(state: EditorState): EditorState {
  const n = before(state.text, state.cursor);
  if (n === 0) return state;
  return {
    text: state.text.slice(0, state.cursor - n) + state.text.slice(state.cursor),
    cursor: state.cursor - n,
  };
}

/** Delete: the code point after the cursor removed. */
export function deleteForward(state: EditorState): EditorState {
  const n = after(state.text, state.cursor);
  if (n === 0) return state;
  return {
    text: state.text.slice(0, state.cursor) + state.text.slice(state.cursor + n),
    cursor: state.cursor,
  };
}

/** Ctrl+W: the word before the cursor (and the spaces after it) removed. */
export function deleteWordBackward(state: EditorState): EditorState {
  const head = state.text.slice(0, state.cursor);
  const cut = head.replace(/\S+\s*$|\s+$/, "");
  return { text: cut + state.text.slice(state.cursor), cursor: cut.length };
}

/** Ctrl+U: the current line up to the cursor removed. */
export function deleteToLineStart(state: EditorState): EditorState {
  const start = state.text.lastIndexOf("\n", state.cursor - 1) + 1;
  return { text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start };
}

/** The cursor one code point left (`-1`) or right (`1`). */
export function moveChar(state: EditorState, direction: -1 | 1): EditorState {
  const n = direction < 0 ? -before(state.text, state.cursor) : after(state.text, state.cursor);
  return { ...state, cursor: state.cursor + n };
}

/** The cursor to the start (`-1`) or end (`1`) of its line. */
export function moveLineEdge(state: EditorState, direction: -1 | 1): EditorState {
  if (direction < 0) return { ...state, cursor: state.text.lastIndexOf("\n", state.cursor - 1) + 1 };
  const end = state.text.indexOf("\n", state.cursor);
  return { ...state, cursor: end < 0 ? state.text.length : end };
}

/** Row and column (0-based, code units) of the cursor. */
export function cursorPosition(state: EditorState): { row: number; column: number } {
  const head = state.text.slice(0, state.cursor);
  const row = head.split("\n").length - 1;
  return { row, column: state.cursor - (head.lastIndexOf("\n") + 1) };
}

/**
 * The cursor one line up (`-1`) or down (`1`), keeping its column where the line is long enough; undefined when
 * it is already on the first (last) line, so the caller can move through history instead.
 */
export function moveLine(state: EditorState, direction: -1 | 1): EditorState | undefined {
  const lines = state.text.split("\n");
  const { row, column } = cursorPosition(state);
  const target = row + direction;
  if (target < 0 || target >= lines.length) return undefined;
  let offset = 0;
  for (let i = 0; i < target; i++) offset += lines[i]!.length + 1;
  return { ...state, cursor: offset + Math.min(column, lines[target]!.length) };
}

/** An editor holding `text` with the cursor at its end. */
export function editorWith(text: string): EditorState {
  return { text, cursor: text.length };
}
