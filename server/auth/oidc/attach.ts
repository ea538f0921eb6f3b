import type { AppExtensions } from "../../app.ts";
import type { AppContext } from "../../context.ts";
import { OidcClient } from "./client.ts";
import { oidcRoutes } from "./routes.ts";

/** Adds staff sign-in through the municipality's identity provider to an instance. */
export function attachOidc(ctx: AppContext, extensions: AppExtensions): { client: OidcClient } {
  const client = new OidcClient();
  (extensions.pages ??= []).push(oidcRoutes(ctx, client));
  return { client };
}
