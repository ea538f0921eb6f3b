import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../context.ts";
import { requireStaff } from "../../http/session.ts";
import type { FormBody, FormErrors } from "../../forms/issues.ts";
import { formChrome, requireLocalMunicipality, sendPage } from "../../routes/page-helpers.ts";
import { paths } from "../../../core/urls.ts";
import { t } from "../../../web/texts.ts";
import { oidcAdminPage, type OidcAdminProps } from "../../../web/views/oidc-admin.ts";
import { oidcFormValues, parseOidcForm, type OidcFormValues } from "./admin-form.ts";
import type { OidcClient } from "./client.ts";
import { namesHost } from "../../../core/address-policy.ts";
import { effectiveOidc, saveOidcSettings, type EffectiveOidc } from "./settings.ts";

const notices: Record<string, string> = { lagret: t.oidc.admin.saved, miljo: t.oidc.admin.usingEnvironment };

function valuesOf(current: EffectiveOidc): OidcFormValues {
  const s = current.stored ?? current.settings;
  return {
    enabled: current.settings !== undefined,
    issuer: s?.issuer ?? "",
    clientId: s?.clientId ?? "",
    adminGroups: (s?.adminGroups ?? []).join("\n"),
    editorGroups: (s?.editorGroups ?? []).join("\n"),
    only: s?.only ?? false,
  };
}

function statusOf(current: EffectiveOidc): OidcAdminProps["status"] {
  if (current.source === "admin") return current.settings ? "admin" : "adminOff";
  return current.settings ? "environment" : "off";
}

/** Administrators connect the portal to the provider here; saved settings override KOMINN_OIDC_*. */
export function oidcAdminRoutes(ctx: AppContext, client: OidcClient): Router {
  const router = Router();
  router.use("/admin/innlogging", requireStaff("staff.manage"));

  /** The secret an empty field keeps: the one saved here, else the environment's. */
  const savedSecret = (current: EffectiveOidc) => current.stored?.clientSecret || ctx.config.oidc?.clientSecret;

  async function render(req: Request, res: Response, status: number, extra: { values?: OidcFormValues; errors?: FormErrors; notice?: string } = {}) {
    const municipality = await requireLocalMunicipality(ctx);
    const current = await effectiveOidc(ctx);
    sendPage(
      res,
      oidcAdminPage({
        chrome: { ...formChrome(ctx, req, res, municipality), account: res.locals.account! },
        status: statusOf(current),
        values: extra.values ?? valuesOf(current),
        hasSecret: Boolean(savedSecret(current)),
        secretLost: current.secretLost,
        redirectUri: `${ctx.config.origin}${paths.oidcCallback}`,
        postLogoutUri: `${ctx.config.origin}/`,
        errors: extra.errors,
        notice: extra.notice,
      }),
      status,
    );
  }

  router.get("/admin/innlogging", async (req, res) => {
    await render(req, res, 200, { notice: notices[String(req.query.melding ?? "")] });
  });

  router.post("/admin/innlogging", async (req, res) => {
    const body = req.body as FormBody;
    const current = await effectiveOidc(ctx);
    const parsed = parseOidcForm(body, savedSecret(current), namesHost(ctx.config.allowHosts, oidcFormValues(body).issuer));
    const values = oidcFormValues(body);
    if (!parsed.ok) return render(req, res, 400, { values, errors: parsed.errors });
    const { enabled, ...settings } = parsed.data;
    if (enabled) {
      // Refuse settings that would lock everyone out: the provider must answer discovery now.
      try {
        await client.configuration(settings);
      } catch (error) {
        const reason = error instanceof Error && "detail" in error && typeof error.detail === "string" ? error.detail : "ingen kontakt";
        return render(req, res, 422, { values, errors: { issuer: t.oidc.admin.unreachable(reason) } });
      }
    }
    await saveOidcSettings(ctx, { source: "admin", enabled, ...settings });
    res.redirect(303, "/admin/innlogging?melding=lagret");
  });

  router.post("/admin/innlogging/miljo", async (_req, res) => {
    await saveOidcSettings(ctx, { source: "environment" });
    res.redirect(303, "/admin/innlogging?melding=miljo");
  });

  return router;
}
