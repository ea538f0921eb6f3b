import { Router, type Request, type Response } from "express";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { startSession } from "../http/session.ts";
import { AlreadySetUpError } from "../../services/setup.ts";
import { ValidationError } from "../../services/projects.ts";
import { parseSetupForm, setupValuesFromBody } from "../forms/profile-form.ts";
import type { FormBody, FormErrors } from "../forms/issues.ts";
import { t } from "../../web/texts.ts";
import { setupPage } from "../../web/views/setup-page.ts";
import { cachedLocalMunicipality, forgetLocalMunicipality, formChrome, sendPage } from "./page-helpers.ts";

/** First run: the municipality's profile and its first administrator. Gone once set up. */
export function setupPageRoutes(ctx: AppContext): Router {
  const router = Router();
  const kommunenummerRequired = ctx.config.role === "municipality";

  async function notSetUp(): Promise<void> {
    if (await cachedLocalMunicipality(ctx)) throw new HttpError(404, t.errors.notFound);
  }

  function render(req: Request, res: Response, status: number, body?: FormBody, errors?: FormErrors) {
    const values = setupValuesFromBody(body);
    sendPage(res, setupPage({ chrome: formChrome(ctx, req, res), values, errors, kommunenummerRequired }), status);
  }

  router.get("/oppsett", async (req, res) => {
    await notSetUp();
    render(req, res, 200);
  });

  router.post("/oppsett", async (req, res) => {
    await notSetUp();
    const body = req.body as FormBody;
    const parsed = parseSetupForm(body, { kommunenummerRequired });
    if (!parsed.ok) return render(req, res, 400, body, parsed.errors);
    try {
      const { admin } = await ctx.profile.setup(parsed.data);
      forgetLocalMunicipality(ctx);
      await startSession(ctx, res, admin.id);
      res.redirect(303, "/admin/prosjekter");
    } catch (error) {
      if (error instanceof AlreadySetUpError) throw new HttpError(404, t.errors.notFound);
      if (error instanceof ValidationError) {
        return render(req, res, 422, body, Object.fromEntries(error.issues.map((i) => [i.field, i.message])));
      }
      throw error;
    }
  });

  return router;
}
