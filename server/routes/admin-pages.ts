import { ValidationError } from "../../services/projects.ts";
import { Router, type Request, type Response } from "express";
import { listAccounts, listApiTokens } from "../../db/accounts.ts";
import { identitySignIns } from "../../db/account-identities.ts";
import type { Account } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { requireStaff } from "../http/session.ts";
import { changeRole, createStaffAccount, issueApiToken, revokeApiToken, setDisabled, StaffRuleError } from "../../services/staff.ts";
import { one, parseForm, type FormBody, type FormErrors } from "../forms/issues.ts";
import { parseProfileForm, profileValuesFromBody, profileValuesFromMunicipality } from "../forms/profile-form.ts";
import { parseNewAccountForm, roleSchema, tokenNameSchema } from "../forms/staff-form.ts";
import { t } from "../../web/texts.ts";
import { adminProfilePage, type AdminProfileProps } from "../../web/views/admin-profile.ts";
import { adminStaffPage } from "../../web/views/admin-staff.ts";
import { adminTokensPage } from "../../web/views/admin-tokens.ts";
import { forgetLocalMunicipality, formChrome, requireLocalMunicipality, sendPage } from "./page-helpers.ts";
import { isId } from "../../db/ids.ts";

const notices: Record<string, string> = {
  lagret: t.admin.profileSaved,
  opprettet: t.admin.accountCreated,
  oppdatert: t.admin.accountUpdated,
  trukket: t.admin.tokenRevokedNotice,
};

/**
 * The administrator's profile page: the municipality's fields (as stored, or
 * as typed when refused) and the fediverse sections media-profile.ts reads.
 */
export async function sendProfilePage(
  ctx: AppContext,
  req: Request,
  res: Response,
  page: Omit<Partial<AdminProfileProps>, "chrome">,
  status = 200,
): Promise<void> {
  const municipality = await requireLocalMunicipality(ctx);
  sendPage(
    res,
    adminProfilePage({
      ...page,
      chrome: formChrome(ctx, req, res, municipality),
      values: page.values ?? profileValuesFromMunicipality(municipality),
      fediverse: page.fediverse ?? res.locals.profileFediverse,
    }),
    status,
  );
}

/** Administrator only: the municipality's profile, staff accounts, own API tokens. */
export function adminPageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/admin/kommune", requireStaff("profile.write"));
  router.use("/admin/ansatte", requireStaff("staff.manage"));
  router.use("/admin/nokler", requireStaff("staff.manage"));

  const me = (res: Response): Account => res.locals.account!;
  const noticeOf = (req: Request) => notices[String(req.query.melding ?? "")];

  // Profile --------------------------------------------------------------

  router.get("/admin/kommune", (req, res) => sendProfilePage(ctx, req, res, { notice: noticeOf(req) }));

  router.post("/admin/kommune", async (req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    const values = profileValuesFromBody(req.body as FormBody);
    const parsed = parseProfileForm(values);
    if (!parsed.ok) {
      return sendProfilePage(ctx, req, res, { values, errors: parsed.errors }, 400);
    }
    try {
      await ctx.profile.update(municipality, parsed.data);
    } catch (error) {
      // The register refuses an unknown kommunenummer or a county that does not match it.
      if (!(error instanceof ValidationError)) throw error;
      const errors = Object.fromEntries(error.issues.map((i) => [i.field, i.message]));
      return sendProfilePage(ctx, req, res, { values, errors }, 422);
    }
    forgetLocalMunicipality(ctx);
    res.redirect(303, "/admin/kommune?melding=lagret");
  });

  // Staff accounts ---------------------------------------------------------

  async function renderStaff(
    req: Request,
    res: Response,
    status: number,
    extra: { values?: Record<string, string>; errors?: FormErrors; problem?: string; notice?: string } = {},
  ) {
    const municipality = await requireLocalMunicipality(ctx);
    const [accounts, identities] = await Promise.all([listAccounts(ctx.db), identitySignIns(ctx.db)]);
    const staff = accounts.map((a) => ({
      id: a.id,
      name: a.name,
      email: a.email,
      role: a.role,
      disabledAt: a.disabledAt,
      lastLoginAt: a.lastLoginAt,
      hasPassword: Boolean(a.passwordHash),
      viaProvider: identities.has(a.id),
    }));
    sendPage(res, adminStaffPage({ chrome: { ...formChrome(ctx, req, res, municipality), account: me(res) }, accounts: staff, ...extra }), status);
  }

  function targetId(id: unknown): string {
    if (!isId(id)) throw new HttpError(404, t.errors.notFound);
    return id;
  }

  /** A change the staff rules refuse: the staff page again with the reason, or the error page. */
  async function refused(req: Request, res: Response, error: unknown): Promise<void> {
    if (!(error instanceof StaffRuleError)) throw error;
    if (error.reason === "notFound") throw new HttpError(404, t.errors.notFound);
    if (error.reason === "forbidden") throw new HttpError(403, t.errors.forbidden);
    await renderStaff(req, res, 409, { problem: error.reason === "self" ? t.admin.self : t.admin.lastAdmin });
  }

  router.get("/admin/ansatte", async (req, res) => {
    await renderStaff(req, res, 200, { notice: noticeOf(req) });
  });

  router.post("/admin/ansatte", async (req, res) => {
    const body = req.body as FormBody;
    const values = { name: one(body, "name"), email: one(body, "email"), role: one(body, "role") };
    const parsed = parseNewAccountForm(body);
    if (!parsed.ok) return renderStaff(req, res, 400, { values, errors: parsed.errors });
    try {
      await createStaffAccount(ctx.db, parsed.data);
    } catch (error) {
      if (!(error instanceof StaffRuleError && error.reason === "emailTaken")) throw error;
      return renderStaff(req, res, 422, { values, errors: { email: t.admin.emailTaken } });
    }
    res.redirect(303, "/admin/ansatte?melding=opprettet");
  });

  router.post("/admin/ansatte/:id/rolle", async (req, res) => {
    const id = targetId(req.params.id);
    const parsed = parseForm(roleSchema, { role: one(req.body as FormBody, "role") });
    if (!parsed.ok) throw new HttpError(400, t.errors.badRequest, [{ field: t.admin.role, message: parsed.errors.role }]);
    try {
      await changeRole(ctx.db, me(res), id, parsed.data.role);
    } catch (error) {
      return refused(req, res, error);
    }
    res.redirect(303, "/admin/ansatte?melding=oppdatert");
  });

  for (const [action, disable] of [["deaktiver", true], ["aktiver", false]] as const) {
    router.post(`/admin/ansatte/:id/${action}`, async (req, res) => {
      const id = targetId(req.params.id);
      try {
        await setDisabled(ctx.db, me(res), id, disable);
      } catch (error) {
        return refused(req, res, error);
      }
      res.redirect(303, "/admin/ansatte?melding=oppdatert");
    });
  }

  // API tokens (the signed-in administrator's own) ---------------------------

  async function renderTokens(req: Request, res: Response, status: number, extra: { created?: string; errors?: FormErrors; notice?: string } = {}) {
    const municipality = await requireLocalMunicipality(ctx);
    const tokens = await listApiTokens(ctx.db, me(res).id);
    sendPage(res, adminTokensPage({ chrome: formChrome(ctx, req, res, municipality), tokens, ...extra }), status);
  }

  router.get("/admin/nokler", async (req, res) => {
    await renderTokens(req, res, 200, { notice: noticeOf(req) });
  });

  router.post("/admin/nokler", async (req, res) => {
    const parsed = parseForm(tokenNameSchema, { name: one(req.body as FormBody, "name") });
    if (!parsed.ok) return renderTokens(req, res, 400, { errors: parsed.errors });
    const { token } = await issueApiToken(ctx.db, me(res), parsed.data.name);
    // The token is shown once, on this response only: never cached.
    res.setHeader("Cache-Control", "no-store");
    await renderTokens(req, res, 201, { created: token });
  });

  router.post("/admin/nokler/:id/trekk-tilbake", async (req, res) => {
    const id = req.params.id;
    if (!isId(id) || !(await revokeApiToken(ctx.db, id, me(res).id))) throw new HttpError(404, t.errors.notFound);
    res.redirect(303, "/admin/nokler?melding=trukket");
  });

  return router;
}
