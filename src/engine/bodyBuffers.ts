/**
 * Reused buffers for response bodies. A search page is ~0.75 MB; a fresh buffer per page costs
 * page faults on first touch and garbage-collector work for the memory it holds outside the heap
 * (measured: a third of the HTTP client's CPU). Bodies of known length are read into a buffer
 * taken from here and given back once their page is committed.
 */
export class BodyBuffers {
  readonly #free: Buffer[] = [];
  readonly #keep: number;

  /** Keeps at most `keep` idle buffers (about one per request that can be in flight). */
  constructor(keep: number) {
    this.#keep = keep;
  }

  /** A buffer of at least `size` bytes (its contents are garbage until written). */
  acquire(size: number): Buffer {
    const index = this.#free.findIndex((buffer) => buffer.length >= size);
    if (index >= 0) return this.#free.splice(index, 1)[0]!;
    // Some headroom, so that the next, slightly larger page still fits.
    return Buffer.allocUnsafeSlow(Math.ceil(size * 1.25));
  }

  release(buffer: Buffer): void {
    if (this.#free.length < this.#keep) this.#free.push(buffer);
    else if (this.#free.length > 0) {
      // Keep the largest ones: they fit every page.
      const smallest = this.#free.reduce((min, b, i) => (b.length < this.#free[min]!.length ? i : min), 0);
      if (this.#free[smallest]!.length < buffer.length) this.#free[smallest] = buffer;
    }
  }
}

/** A response body: its bytes, and how to give its buffer back once nothing reads them any more. */
export interface Body {
  bytes: Uint8Array;
  release(): void;
}
