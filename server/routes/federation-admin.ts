import { Router, type Request, type Response } from "express";
import { listDeliveryFailures } from "../../db/delivery-state.ts";
import type { DeliveryFailure } from "../../db/schema-federation.ts";
import { parseDeliveryProblem } from "../../federation/delivery-health.ts";
import type { PendingDeliveries } from "../../federation/queue.ts";
import { listDomainBlocks } from "../../db/domain-blocks.ts";
import { listFollowers } from "../../db/followers.ts";
import { listFollows } from "../../db/follows.ts";
import { FollowError } from "../../federation/follow-error.ts";
import type { BulkFollowResult } from "../../federation/following.ts";
import type { PeerCheck } from "../../federation/peer-check.ts";
import type { KominnFederation } from "../../federation/index.ts";
import { getFederationSettings } from "../../db/federation-settings.ts";
import { maxBackfillLimit } from "../../core/federation-settings.ts";
import type { FormErrors } from "../../web/components/form-fields.ts";
import { t } from "../../web/texts.ts";
import { federationAdminPage, type DeliveryHealthRow } from "../../web/views/federation-admin.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { requireStaff } from "../http/session.ts";
import { formChrome, requireLocalMunicipality, sendPage } from "./page-helpers.ts";
import { isId } from "../../db/ids.ts";

const base = "/admin/foderasjon";
type Notice = keyof typeof t.federation.notices;

/** A failing host as the page shows it: the recorded failure, with the queue's word on what waits and when it goes. */
export function deliveryHealth(failure: DeliveryFailure, pending: PendingDeliveries | undefined, now = Date.now()): DeliveryHealthRow {
  const waiting = pending?.waiting ?? 0;
  const state = failure.circuit === "open" ? "paused" : failure.circuit === "half-open" ? "probing" : waiting > 0 ? "retrying" : "idle";
  const nextAttemptAt = pending?.nextAt ?? (failure.circuit === "open" ? (failure.nextRetryAt ?? undefined) : undefined);
  return {
    host: failure.host,
    state,
    problem: parseDeliveryProblem(failure.lastError),
    failures: failure.failures,
    lastFailureAt: failure.lastFailureAt,
    nextAttemptAt,
    nextAttemptIn: nextAttemptAt ? Math.max(0, Math.round((nextAttemptAt.getTime() - now) / 1000)) : undefined,
    waiting,
  };
}

/** The administrator's federation page and its forms (each form POSTs, then redirects back with a notice). */
export function federationAdminRoutes(ctx: AppContext, kf: KominnFederation): Router {
  const router = Router();
  router.use(base, requireStaff("federation.manage"));

  async function render(
    req: Request,
    res: Response,
    extra: { errors?: FormErrors; values?: Record<string, string>; bulkResults?: BulkFollowResult[]; peerCheck?: PeerCheck[] } = {},
    status = 200,
  ) {
    const municipality = await requireLocalMunicipality(ctx);
    const [follows, followers, blocks, failed, pending, settings] = await Promise.all([
      listFollows(ctx.db),
      listFollowers(ctx.db),
      listDomainBlocks(ctx.db),
      listDeliveryFailures(ctx.db),
      kf.queue.pendingByHost(),
      getFederationSettings(ctx.db),
    ]);
    const failures = failed.map((f) => deliveryHealth(f, pending.get(f.host)));
    const key = String(req.query.melding ?? "") as Notice;
    sendPage(
      res,
      federationAdminPage({
        chrome: formChrome(ctx, req, res, municipality),
        handle: municipality.handle,
        domain: municipality.domain,
        follows,
        followers,
        blocks,
        failures,
        settings,
        notice: t.federation.notices[key],
        ...extra,
      }),
      status,
    );
  }
  const done = (res: Response, notice: Notice) => res.redirect(303, `${base}?melding=${notice}`);
  const field = (req: Request, name: string) => (typeof req.body?.[name] === "string" ? (req.body[name] as string) : "");
  const id = (req: Request) => {
    const id = req.params.id;
    if (!isId(id)) throw new HttpError(404, t.errors.notFound);
    return id;
  };

  router.get(base, (req, res) => render(req, res));

  router.post(`${base}/folg`, async (req, res) => {
    const target = field(req, "target").trim();
    try {
      if (!target) throw new FollowError(400, "target", t.federation.targetEmpty);
      await kf.following.follow(target);
    } catch (error) {
      if (!(error instanceof FollowError)) throw error;
      return render(req, res, { errors: { [error.field]: error.message }, values: { target } }, error.status === 422 ? 422 : 400);
    }
    done(res, "followed");
  });

  router.post(`${base}/folg-mange`, async (req, res) => {
    const text = field(req, "targets");
    const lines = text.split(/\r?\n/).filter((l) => l.trim());
    const error = lines.length === 0 ? t.bulkFollow.empty : lines.length > 1000 ? t.bulkFollow.tooMany : undefined;
    if (error) return render(req, res, { errors: { targets: error }, values: { targets: text } }, 400);
    const bulkResults = await kf.following.bulkFollow(lines);
    const failed = bulkResults.filter((r) => r.outcome === "error").map((r) => r.target);
    // The lines that failed stay in the field, to correct and send again.
    await render(req, res, { bulkResults, values: { targets: failed.join("\n") } });
  });

  router.post(`${base}/sjekk`, async (req, res) => {
    const peerCheck = await kf.checkPeers();
    await render(req, res, { peerCheck });
  });

  router.post(`${base}/folger/:id/avslutt`, async (req, res) => {
    if (!(await kf.following.unfollow(id(req)))) throw new HttpError(404, t.errors.notFound);
    done(res, "unfollowed");
  });

  router.post(`${base}/folgere/:id/godkjenn`, async (req, res) => {
    if (!(await kf.followers.approve(id(req)))) throw new HttpError(404, t.errors.notFound);
    done(res, "approved");
  });

  router.post(`${base}/folgere/:id/fjern`, async (req, res) => {
    if (!(await kf.followers.remove(id(req)))) throw new HttpError(404, t.errors.notFound);
    done(res, "removed");
  });

  router.post(`${base}/innstillinger`, async (req, res) => {
    const raw = field(req, "backfillLimit").trim();
    const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
    if (!(limit >= 0 && limit <= maxBackfillLimit)) {
      return render(req, res, { errors: { backfillLimit: t.federation.backfillLimitRange }, values: { backfillLimit: raw } }, 400);
    }
    await ctx.federationSettings.save({ approveFollowers: field(req, "approveFollowers") === "ja", backfillLimit: limit });
    done(res, "saved");
  });

  router.post(`${base}/blokker`, async (req, res) => {
    const domain = field(req, "domain");
    const reason = field(req, "reason");
    try {
      await kf.domainBlocks.block(domain, reason);
    } catch (error) {
      if (!(error instanceof FollowError)) throw error;
      return render(req, res, { errors: { domain: error.message }, values: { domain, reason } }, 400);
    }
    done(res, "blocked");
  });

  router.post(`${base}/blokker/:domain/opphev`, async (req, res) => {
    if (!(await kf.domainBlocks.unblock(String(req.params.domain)))) throw new HttpError(404, t.errors.notFound);
    done(res, "unblocked");
  });

  router.post(`${base}/blokker/import`, async (req, res) => {
    const csv = field(req, "csv");
    const result = await kf.domainBlocks.importCsv(csv);
    if (result.invalid.length > 0) {
      return render(req, res, { errors: { csv: t.federation.invalidLines(result.invalid.join("; ")) }, values: { csv } }, 400);
    }
    done(res, "imported");
  });

  router.get(`${base}/blokkeringer.csv`, async (_req, res) => {
    res.type("text/csv; charset=utf-8").attachment("blokkerte-domener.csv").send(await kf.domainBlocks.exportCsv());
  });

  return router;
}
