import { SendActivityError, type CircuitBreakerState, type Context, type OutboxPermanentFailureHandler } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { FetchError } from "@fedify/vocab-runtime";
import { clearDeliveryFailure, recordDeliveryFailure, setCircuitState } from "../db/delivery-state.ts";
import { removeFollowersByUrls } from "../db/followers.ts";
import type { FederationDeps } from "./deps.ts";
import { FetchRefusedError } from "./fetch-guard.ts";
import { currentQueueMessage } from "./queue.ts";

/**
 * Why a delivery failed, in a few kinds an administrator can act on. Stored in
 * `delivery_failures.last_error` as `<kind>[ <status>]: <detail>` (detail in
 * English, one line), so the page can say it in plain words.
 */
export type DeliveryProblemKind = "refused" | "timeout" | "dns" | "tls" | "reset" | "unreachable" | "blocked" | "http" | "other";

export interface DeliveryProblem {
  readonly kind: DeliveryProblemKind;
  /** The HTTP status, for kind "http". */
  readonly status?: number;
  readonly detail: string;
}

const kinds: readonly DeliveryProblemKind[] = ["refused", "timeout", "dns", "tls", "reset", "unreachable", "blocked", "http", "other"];

/** One line of at most `max` characters, for the log and the failures table. */
export const oneLine = (s: string, max = 300): string => {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** The error and its causes, outermost first (bounded, and safe against cycles). */
function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  for (let e = error; e && seen.length < 8 && !seen.includes(e); e = (e as { cause?: unknown }).cause) seen.push(e);
  return seen;
}

const codeOf = (e: unknown) => (typeof e === "object" && e !== null ? String((e as { code?: unknown }).code ?? "") : "");
const nameOf = (e: unknown) => (e instanceof Error ? e.name : "");
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

const tlsCodes = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** Sorts a delivery error (Fedify's SendActivityError or FetchError, and whatever caused it) into a kind. */
export function describeDeliveryError(error: unknown): DeliveryProblem {
  if (error instanceof SendActivityError) {
    const reason = /\((\d{3})\s*([^)]*)\)/.exec(error.message)?.[2]?.trim();
    return { kind: "http", status: error.statusCode, detail: oneLine(reason || `HTTP ${error.statusCode}`) };
  }
  const all = chain(error);
  const innermost = all[all.length - 1];
  const code = codeOf(innermost);
  const text = messageOf(innermost);
  const detail = oneLine((code && !text.includes(code) ? `${code} ${text}` : text) || messageOf(error));
  const has = (test: (e: unknown) => boolean) => all.some(test);
  if (has((e) => e instanceof FetchRefusedError)) return { kind: "blocked", detail };
  if (has((e) => codeOf(e) === "ECONNREFUSED")) return { kind: "refused", detail };
  if (
    has((e) => /^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/.test(codeOf(e))) ||
    has((e) => nameOf(e) === "TimeoutError" || nameOf(e) === "AbortError")
  ) {
    return { kind: "timeout", detail };
  }
  if (has((e) => /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EAI_NODATA)$/.test(codeOf(e)))) return { kind: "dns", detail };
  if (has((e) => tlsCodes.test(codeOf(e)) || /certificate|ssl|tls/i.test(messageOf(e)))) return { kind: "tls", detail };
  if (has((e) => /^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(codeOf(e)) || /socket hang up|other side closed/i.test(messageOf(e)))) {
    return { kind: "reset", detail };
  }
  if (has((e) => /^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL)$/.test(codeOf(e)))) return { kind: "unreachable", detail };
  if (has((e) => /private address|refused (scheme|address)/i.test(messageOf(e)))) return { kind: "blocked", detail };
  return { kind: "other", detail };
}

/** The form kept in `delivery_failures.last_error`. */
export function formatDeliveryProblem(p: DeliveryProblem): string {
  return `${p.kind}${p.status ? ` ${p.status}` : ""}: ${p.detail}`.slice(0, 500);
}

/** Reads a stored `last_error` back; rows written before kinds existed are sorted by their text. */
export function parseDeliveryProblem(stored: string): DeliveryProblem | undefined {
  if (!stored.trim()) return undefined;
  const m = /^([a-z]+)(?: (\d{3}))?: ?(.*)$/s.exec(stored);
  if (m && (kinds as readonly string[]).includes(m[1])) {
    return { kind: m[1] as DeliveryProblemKind, ...(m[2] ? { status: Number(m[2]) } : {}), detail: m[3] };
  }
  const status = /(?:\bHTTP |\()([1-5]\d\d)\b/.exec(stored)?.[1];
  if (status) return { kind: "http", status: Number(status), detail: oneLine(stored) };
  const code = /\b(ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b/.exec(stored)?.[1];
  const byCode: Record<string, DeliveryProblemKind> = {
    ECONNREFUSED: "refused",
    ETIMEDOUT: "timeout",
    ENOTFOUND: "dns",
    EAI_AGAIN: "dns",
    ECONNRESET: "reset",
    EHOSTUNREACH: "unreachable",
    ENETUNREACH: "unreachable",
  };
  return { kind: code ? byCode[code] : "other", detail: oneLine(stored) };
}

/**
 * The inbox a failed delivery was for: Fedify's errors carry it (SendActivityError
 * as `inbox`, FetchError as `url`); otherwise the queued message being delivered says.
 */
export function deliveryTarget(error: unknown, message: unknown): URL | undefined {
  if (error instanceof SendActivityError) return error.inbox;
  if (error instanceof FetchError) return error.url;
  const inbox = typeof message === "object" && message !== null ? (message as { inbox?: unknown }).inbox : undefined;
  if (typeof inbox === "string" && URL.canParse(inbox)) return new URL(inbox);
  return undefined;
}

/** What Fedify tells us about deliveries, written down for the administrator and the log (one line per failure). */
export function deliveryObservers(app: FederationDeps, tuning: { breakerRecoveryMs: number; retryMaxAttempts: number }) {
  const { breakerRecoveryMs, retryMaxAttempts } = tuning;
  const log = app.logger;
  return {
    async onStateChange(host: string, _previous: CircuitBreakerState, next: CircuitBreakerState): Promise<void> {
      const probeAt = next === "open" ? new Date(Date.now() + breakerRecoveryMs) : null;
      if (next === "open") log.warn(`deliveries to ${host} paused after repeated failures; one is tried again every ${Math.round(breakerRecoveryMs / 1000)} s`);
      else if (next === "closed") log.info(`${host} answers again: deliveries held for it go now, in order`);
      await setCircuitState(app.db, host, next, probeAt).catch((error) => log.warn(`could not record the circuit of ${host}: ${oneLine(messageOf(error))}`));
    },

    async onOutboxError(error: Error, activity: Activity | null): Promise<void> {
      const message = currentQueueMessage() as { attempt?: number; activityId?: string } | undefined;
      const target = deliveryTarget(error, message);
      const problem = formatDeliveryProblem(describeDeliveryError(error));
      const attempt = typeof message?.attempt === "number" ? ` (attempt ${message.attempt + 1})` : "";
      // Fedify's retry policy gives up once `attempt` reaches the maximum (404 and 410 end sooner, see onPermanentFailure).
      const status = error instanceof SendActivityError ? error.statusCode : 0;
      const givenUp = typeof message?.attempt === "number" && message.attempt >= retryMaxAttempts && status !== 404 && status !== 410;
      const id = activity?.id?.href ?? message?.activityId ?? "an activity";
      log.warn(`delivery of ${id} to ${target?.href ?? "an unknown inbox"} failed${attempt}: ${problem}${givenUp ? "; given up" : ""}`);
      if (!target) return;
      await recordDeliveryFailure(app.db, target.host, problem).catch((e) => log.warn(`could not record a delivery failure: ${oneLine(messageOf(e))}`));
    },

    async onPermanentFailure(_ctx: Context<FederationDeps>, failure: Parameters<OutboxPermanentFailureHandler<FederationDeps>>[1]): Promise<void> {
      if (failure.reason === "circuit-breaker-ttl") {
        // The host stayed unreachable for the whole hold: this activity is given up,
        // the follower is kept (it gets what we publish once it answers again).
        log.warn(`delivery of ${failure.activity.id?.href ?? "an activity"} to ${failure.inbox.href} given up: held since ${failure.circuitHeldSince?.toString() ?? "?"} while the host did not answer`);
        return;
      }
      const removed = await removeFollowersByUrls(app.db, [failure.inbox.href, ...failure.actorIds.map((u) => u.href)]);
      log.info(`inbox ${failure.inbox.href} answered ${failure.statusCode}: ${removed} follower(s) removed`);
      await clearDeliveryFailure(app.db, failure.inbox.host).catch(() => {});
    },
  };
}
