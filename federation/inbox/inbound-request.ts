import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The inbox POST being handled, as it came in. The middleware sets it around
 * Fedify's handling; the handler guard reads it to check who signed the
 * request (Fedify's InboxContext does not carry the request).
 */
export interface InboundRequest {
  url: string;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
}

const current = new AsyncLocalStorage<InboundRequest>();

export function withInboundRequest<T>(request: InboundRequest, run: () => T): T {
  return current.run(request, run);
}

export function inboundRequest(): InboundRequest | undefined {
  return current.getStore();
}

/** How long after the last inbox request the inbox still counts as busy. */
const quietMs = 50;

/**
 * Inbox requests this instance is answering. While there are any (or were a
 * moment ago), the inbound queue starts no handling (but one a second), so a
 * burst of deliveries is answered at the pace of verifying and queueing, and
 * the handling catches up once the burst is over (index.ts, queue.ts).
 */
export class InboxLoad {
  #inFlight = 0;
  #lastEnd = 0;
  readonly #onQuiet: () => void;

  /** `onQuiet` runs once the inbox has been quiet for a moment. */
  constructor(onQuiet: () => void) {
    this.#onQuiet = onQuiet;
  }

  begin(): void {
    this.#inFlight++;
  }

  end(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#lastEnd = Date.now();
    if (this.#inFlight === 0) setTimeout(() => !this.busy && this.#onQuiet(), quietMs + 1).unref();
  }

  get busy(): boolean {
    return this.#inFlight > 0 || Date.now() - this.#lastEnd < quietMs;
  }
}
