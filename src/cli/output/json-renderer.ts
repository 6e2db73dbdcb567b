import type { EngineEvent } from "../../engine/events.ts";
import type { TurnResult } from "../../engine/turn-result.ts";
import type { Renderer, RenderTarget } from "./renderer.ts";
import { errorRecord, resultRecord } from "./result.ts";

/** `--output-format json`: nothing while the turn runs, then one result object on stdout. */
export class JsonRenderer implements Renderer {
  private readonly target: RenderTarget;
  constructor(target: RenderTarget) {
    this.target = target;
  }
  event(_event: EngineEvent): void {}
  result(turn: TurnResult, sessionId: string | undefined): void {
    this.target.out.write(`${JSON.stringify(resultRecord(turn, sessionId))}\n`);
  }
  error(message: string): void {
    this.target.out.write(`${JSON.stringify(errorRecord(message))}\n`);
  }
}
