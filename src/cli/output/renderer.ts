import type { EngineEvent } from "../../engine/events.ts";
import type { TurnResult } from "../../engine/turn-result.ts";

/** Renders a print-mode run in one output format. */
export interface Renderer {
  /** Each engine event, as it happens. */
  event(event: EngineEvent): void;
  /** The end of the turn. */
  result(turn: TurnResult, sessionId: string | undefined): void;
  /** A failure before or outside the turn (config, credentials, endpoint), already phrased for the user. */
  error(message: string): void;
}

/** The output streams a renderer writes to. */
export interface RenderTarget {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  verbose: boolean;
}
