import { Router } from "express";
import { countUnsentMail, listMail } from "../../db/mail-outbox.ts";
import type { AppContext } from "../context.ts";
import { requireStaff } from "../http/session.ts";
import { mailAdminPage } from "../../web/views/mail-admin.ts";
import { cachedLocalMunicipality, chromeOf, sendPage } from "./page-helpers.ts";

/** Administrator only: the e-mail outbox, and whether SMTP_URL is set. */
export function mailAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/admin/e-post", requireStaff("staff.manage"), async (req, res) => {
    const [rows, unsent] = await Promise.all([listMail(ctx.db), countUnsentMail(ctx.db)]);
    sendPage(res, mailAdminPage({
      chrome: chromeOf(ctx, req, res, await cachedLocalMunicipality(ctx)),
      configured: ctx.config.smtpUrl !== undefined,
      unsent,
      messages: rows.map((r) => ({
        to: r.toName ? `${r.toName} <${r.toAddress}>` : r.toAddress,
        subject: r.subject,
        createdAt: r.createdAt,
        sentAt: r.sentAt,
        failedAt: r.failedAt,
        attempts: r.attempts,
        lastError: r.lastError,
      })),
    }));
  });
  return router;
}
