import type { EngineEvent } from "../engine/events.ts";

/** A function that receives every engine event of an agent, in order. */
export type AgentListener = (event: EngineEvent) => void;

/**
 * Fans the engine's events out to any number of listeners (a renderer, a status line, a log), synchronously and
 * in the order they were added. A listener that throws stops the event from reaching the later ones and the
 * error propagates into the engine, as with a single `onEvent`.
 */
export class EventHub {
  private readonly listeners: AgentListener[] = [];

  /** Adds `listener`; returns the function that removes it again. */
  subscribe(listener: AgentListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Delivers `event` to every current listener. */
  readonly emit = (event: EngineEvent): void => {
    for (const listener of [...this.listeners]) listener(event);
  };
}
