import { render } from "ink";
import { defaultCommands } from "./commands/builtin.ts";
import type { CommandRegistry } from "./commands/registry.ts";
import { App } from "./components/app.tsx";
import { UiController, type UiLaunch } from "./controller.ts";
import { colorWanted, createTheme, ThemeContext } from "./theme.ts";

/** Frames per second Ink may draw at most: 60, so a keystroke waits at most ~16 ms for a frame while text streams. */
const MAX_FPS = 60;

/**
 * Runs the interactive UI on this process's terminal until the user quits (/quit, Ctrl+D on an empty line,
 * Ctrl+C twice): the first frame is drawn at once, the agent is built behind it (its notices and errors appear in
 * the transcript). Colour follows NO_COLOR. Returns the exit code, 0; rethrows a rejection of `launch.ready` (the
 * host's config error) once the UI is closed. `commands` defaults to the built-in ones.
 */
export async function runInteractive(
  launch: Omit<UiLaunch, "commands"> & { commands?: CommandRegistry },
): Promise<number> {
  const controller = new UiController({ ...launch, commands: launch.commands ?? defaultCommands() });
  const theme = createTheme(colorWanted(launch.env));
  const instance = render(
    <ThemeContext.Provider value={theme}>
      <App controller={controller} />
    </ThemeContext.Provider>,
    {
      exitOnCtrlC: false,
      maxFps: MAX_FPS,
      incrementalRendering: true,
      patchConsole: true,
      // Ink turns itself non-interactive under CI=true; owlet opens the UI only on a terminal, so draw it there.
      interactive: true,
    },
  );
  controller.onQuit(() => instance.unmount());
  controller.onClear(() => {
    instance.clear();
    // Erase the screen and its scrollback, then home the cursor: /clear starts the transcript afresh.
    process.stdout.write("\x1b[2J\x1b[3J\x1b[H");
  });
  let fatal: unknown;
  void controller.start().then((err) => {
    if (err === undefined) return;
    fatal = err;
    instance.unmount();
  });
  await instance.waitUntilExit();
  await controller.close();
  if (fatal !== undefined) throw fatal;
  return 0;
}
