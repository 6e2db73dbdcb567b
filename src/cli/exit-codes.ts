/** Process exit codes of the CLI. */
export const EXIT = {
  /** The turn succeeded. */
  ok: 0,
  /** The turn failed: provider error, max turns, budget. */
  turnFailed: 1,
  /** Usage or configuration error: bad flags, bad config, missing credentials, unreachable endpoint. */
  usage: 2,
  /** Interrupted (SIGINT), as shells report 128 + 2. */
  interrupted: 130,
} as const;

/**
 * An error the user can act on: printed as `owlet: <message>` (no stack trace) and mapped to `exitCode`.
 * Throw it anywhere in the CLI layer.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
  }
}
