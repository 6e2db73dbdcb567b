/**
 * A real terminal for end-to-end tests of the interactive UI: a private tmux server (its own socket, so tests never
 * touch a user's tmux) running one command in a window of a given size; keys are typed with `send-keys`, the screen
 * (scrollback included) read with `capture-pane`.
 */
import { execFileSync, spawnSync } from "node:child_process";

/** Whether tmux is installed (scripts/install-system-deps.sh installs it from Debian's packages). */
export function hasTmux(): boolean {
  return spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
}

let sessions = 0;

/** One tmux session running a command. */
export class TmuxSession {
  readonly socket: string;
  readonly name: string;

  /**
   * Starts `command` (argv) in `cwd` with exactly `env` as its environment, in a `columns`×`rows` window, under
   * `sh`, which prints `[exit N]` when it ends; the pane stays (`remain-on-exit`), so its last screen can be read.
   */
  constructor(
    command: string[],
    opts: { cwd: string; env: NodeJS.ProcessEnv; columns?: number; rows?: number },
  ) {
    this.socket = `owlet-test-${process.pid}-${++sessions}`;
    this.name = "t";
    const envArgs = Object.entries(opts.env)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    this.tmux(
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-s",
      this.name,
      "-x",
      String(opts.columns ?? 100),
      "-y",
      String(opts.rows ?? 40),
      "-c",
      opts.cwd,
      ...envArgs,
      "sh",
      "-c",
      '"$0" "$@"; echo "[exit $?]"',
      ...command,
    );
    this.tmux("set-option", "-t", this.name, "remain-on-exit", "on");
    this.tmux("set-option", "-t", this.name, "history-limit", "5000");
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** Types `text` literally (no key names). */
  type(text: string): void {
    this.tmux("send-keys", "-t", this.name, "-l", text);
  }

  /** Presses keys by tmux name: `Enter`, `Escape`, `BTab` (Shift+Tab), `C-c`, `C-d`, `Up`. */
  press(...keys: string[]): void {
    this.tmux("send-keys", "-t", this.name, ...keys);
  }

  /** The screen with its scrollback, as text (`escapes`: with colour/style escape sequences). */
  screen(escapes = false): string {
    return this.tmux("capture-pane", "-p", "-J", ...(escapes ? ["-e"] : []), "-S", "-", "-t", this.name);
  }

  /** The visible screen only. */
  visible(): string {
    return this.tmux("capture-pane", "-p", "-t", this.name);
  }

  /** Resizes the window. */
  resize(columns: number, rows: number): void {
    this.tmux("resize-window", "-t", this.name, "-x", String(columns), "-y", String(rows));
  }

  /** Waits until `test` holds for the screen (polled every 50 ms); throws with the screen after `timeoutMs`. */
  async waitFor(
    test: RegExp | ((screen: string) => boolean),
    timeoutMs = 10_000,
    visibleOnly = false,
  ): Promise<string> {
    const started = Date.now();
    const check = typeof test === "function" ? test : (s: string) => test.test(s);
    for (;;) {
      const screen = visibleOnly ? this.visible() : this.screen();
      if (check(screen)) return screen;
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${String(test)}; the screen:\n${screen}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for the command to exit; returns its exit status. */
  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const screen = await this.waitFor(/\[exit \d+\]/, timeoutMs);
    return Number(/\[exit (\d+)\]/.exec(screen)![1]);
  }

  /** Kills the tmux server of this session (and the command). */
  kill(): void {
    spawnSync("tmux", ["-L", this.socket, "kill-server"], { stdio: "ignore" });
  }
}
