/** A tiny typed event hub for the contract's push events. */
import type { EventName, Events } from '../shared/contract.ts';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export class EventHub {
  readonly #listeners = new Set<EventListener>();

  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.#listeners) listener(event, payload);
  }
}
