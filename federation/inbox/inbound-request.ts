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
