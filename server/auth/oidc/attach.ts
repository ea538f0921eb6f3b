import type { AppExtensions } from "../../app.ts";
import type { AppContext } from "../../context.ts";
import { OidcClient } from "./client.ts";
import { oidcAdminRoutes } from "./admin-routes.ts";
import { oidcRoutes } from "./routes.ts";

/** Adds staff sign-in through the municipality's identity provider to an instance. */
export function attachOidc(ctx: AppContext, extensions: AppExtensions): { client: OidcClient } {
  const client = new OidcClient();
  (extensions.pages ??= []).push(oidcRoutes(ctx, client), oidcAdminRoutes(ctx, client));
  return { client };
}
