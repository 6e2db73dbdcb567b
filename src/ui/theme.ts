import { createContext, useContext } from "react";

/** Colours of the UI by role; each is an Ink colour name, or undefined when colour is off (NO_COLOR). */
export interface Theme {
  color: boolean;
  accent?: string;
  user?: string;
  tool?: string;
  ok?: string;
  error?: string;
  warn?: string;
  added?: string;
  removed?: string;
  code?: string;
  mode: (mode: string) => string | undefined;
}

const MODE_COLORS: Record<string, string> = {
  auto: "cyan",
  default: "blue",
  accept_edits: "green",
  plan: "yellow",
  bypass: "red",
  deny: "magenta",
};

/** The theme: coloured, or (`color` false, for NO_COLOR) every colour undefined; bold, dim and inverse stay. */
export function createTheme(color: boolean): Theme {
  if (!color) return { color, mode: () => undefined };
  return {
    color,
    accent: "cyan",
    user: "blue",
    tool: "magenta",
    ok: "green",
    error: "red",
    warn: "yellow",
    added: "green",
    removed: "red",
    code: "cyan",
    mode: (mode) => MODE_COLORS[mode],
  };
}

/** Colour is on unless NO_COLOR is set to a non-empty value (no-color.org) or TERM is `dumb`. */
export function colorWanted(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR && env.TERM !== "dumb";
}

/** The theme components read. */
export const ThemeContext = createContext<Theme>(createTheme(true));

/** The current theme. */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}
