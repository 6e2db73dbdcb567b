/** The keys of the interactive UI, as /help and the README list them: [key, what it does]. */
export const KEY_HELP: readonly (readonly [string, string])[] = [
  ["Enter", "send the prompt"],
  ["Shift+Enter, \\⏎", "new line (or end a line with \\ ; Ctrl+J too)"],
  ["Up / Down", "earlier prompts (all sessions), or move between lines"],
  ["Tab", "accept a completion (/command, @path, argument)"],
  ["@path", "attach a file to the prompt"],
  ["!command", "run a shell command; its output goes to the model with your next prompt"],
  ["Shift+Tab", "cycle the permission mode"],
  ["Esc", "interrupt the model (the conversation is kept); close a menu"],
  ["Ctrl+O", "show the last tool results in full"],
  ["Ctrl+C", "clear the line / interrupt; twice to quit"],
  ["Ctrl+D", "quit (on an empty line)"],
];
