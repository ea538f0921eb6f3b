import type { AppExtensions } from "../server/app.ts";
import type { AppContext } from "../server/context.ts";
import { searchApiRoutes } from "../server/routes/search-api.ts";
import { searchPageRoutes } from "../server/routes/search-page.ts";
import { startSearch, type Search, type StartSearchOptions } from "./index.ts";

/** Starts search for an instance and mounts `GET /api/v1/search` and `/sok`. */
export function attachSearch(ctx: AppContext, extensions: AppExtensions, options: StartSearchOptions = {}): Search {
  const search = startSearch(ctx, options);
  (extensions.api ??= []).push(searchApiRoutes(ctx, search.service));
  (extensions.pages ??= []).push(searchPageRoutes(ctx, search.service));
  return search;
}
