import type { AppContext } from "../../context.ts";
import { OidcClient, OidcProblem } from "./client.ts";
import { effectiveOidc } from "./settings.ts";

/** The client for staff sign-in through the municipality's identity provider; checks at start that the provider answers. */
export function startOidc(ctx: AppContext): OidcClient {
  const client = new OidcClient();
  void checkAtStart(ctx, client);
  return client;
}

/** Tells the operator at start whether the provider answers; never stops the instance (password sign-in still works). */
async function checkAtStart(ctx: AppContext, client: OidcClient): Promise<void> {
  try {
    const { settings } = await effectiveOidc(ctx);
    if (!settings) return;
    await client.configuration(settings);
    ctx.logger.info(`Innlogging med kommunens konto: ${settings.issuer} svarer.`);
  } catch (error) {
    const detail = error instanceof OidcProblem ? error.detail : undefined;
    ctx.logger.warn(`Innlogging med kommunens konto: fikk ikke kontakt med leverandøren (${detail ?? "ukjent feil"}). Ansatte med passord kan fortsatt logge inn.`);
  }
}
