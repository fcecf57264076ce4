/** A tiny typed event hub for the contract's push events. */
import type { EventName, Events } from '../shared/contract.ts';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export class EventHub {
  readonly #listeners = new Set<EventListener>();
  readonly #onListenerError: (event: EventName, error: unknown) => void;

  constructor(onListenerError: (event: EventName, error: unknown) => void = defaultListenerError) {
    this.#onListenerError = onListenerError;
  }

  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Every listener hears every event, whatever another one throws (a window closing, a stream
   * gone): events are emitted from the engine thread's messages, where a throw would end the process.
   */
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        this.#onListenerError(event, error);
      }
    }
  }
}

function defaultListenerError(event: EventName, error: unknown): void {
  console.warn(`[events] a listener of ${event} failed: ${error instanceof Error ? error.message : String(error)}`);
}
