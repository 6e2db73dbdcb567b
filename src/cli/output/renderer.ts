import type { EngineEvent } from "../../engine/events.ts";
import type { TurnResult } from "../../engine/turn-result.ts";
import type { Message } from "../../message/types.ts";

/** What a renderer knows about the run once the agent is built (system/init in the Claude Code formats). */
export interface RunStart {
  /** The session id (a fresh UUID when sessions are disabled). */
  sessionId: string;
  cwd: string;
  model: string;
  tools: string[];
  /** Claude Code's name for the permission mode (see stream-json/rules.ts). */
  permissionMode: string;
}

/** What a renderer gets with a turn's result. */
export interface TurnEnd {
  sessionId: string | undefined;
  /** The agent's spend so far and before this turn, USD. */
  costUSD: number;
  costBeforeTurnUSD: number;
  /** The turn was stopped at --max-budget-usd. */
  budgetExceeded: boolean;
}

/** Renders a print-mode run in one output format. */
export interface Renderer {
  /** A turn begins (the agent is built); `start` describes the run. */
  beginTurn(start: RunStart): void;
  /** Each engine event, as it happens. */
  event(event: EngineEvent): void;
  /** Each message appended to the conversation's history, as it happens. */
  message(message: Message): void;
  /** The end of the turn. */
  result(turn: TurnResult, end: TurnEnd): void;
  /** A failure before or outside the turn (config, credentials, endpoint), already phrased for the user. */
  error(message: string): void;
}

/** The output streams a renderer writes to. */
export interface RenderTarget {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  verbose: boolean;
}
