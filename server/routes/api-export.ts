import { Router, type Response } from "express";
import { imitationsOfMany } from "../../db/imitations.ts";
import { lastProjectChange, publishedProjectBatches } from "../../db/projects.ts";
import type { AppContext } from "../context.ts";
import { csvColumns, csvRow, dcatCatalogue } from "../export-formats.ts";
import { projectJson } from "../project-json.ts";
import { parseOr400 } from "../http/errors.ts";
import { z } from "zod";
import { cachedLocalMunicipality } from "./page-helpers.ts";

/** Writes respecting back-pressure, so a slow client never makes us buffer the whole catalogue. */
async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await new Promise<void>((resolve) => res.once("drain", resolve));
}

const csvQuery = z.strictObject({ delimiter: z.enum(["comma", "semicolon"]).default("comma") });

export function apiExportRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/export.csv", async (req, res) => {
    const { delimiter } = parseOr400(csvQuery, req.query);
    const sep = delimiter === "semicolon" ? ";" : ",";
    res.type("text/csv; charset=utf-8").attachment(delimiter === "semicolon" ? "kominn-prosjekter-excel.csv" : "kominn-prosjekter.csv");
    await write(res, `\uFEFF${csvRow(csvColumns.map(([name]) => name), sep)}`);
    for await (const batch of publishedProjectBatches(ctx.db)) {
      await write(res, batch.map((p) => csvRow(csvColumns.map(([, value]) => value(p)), sep)).join(""));
    }
    res.end();
  });

  router.get("/export.json", async (_req, res) => {
    res.type("application/json").attachment("kominn-prosjekter.json");
    await write(res, "[");
    let first = true;
    for await (const batch of publishedProjectBatches(ctx.db)) {
      const imitations = await imitationsOfMany(ctx.db, batch.map((p) => p.url));
      const parts = batch.map((p) => JSON.stringify(projectJson(p, imitations.get(p.url))));
      await write(res, (first ? "" : ",") + parts.join(","));
      first = false;
    }
    res.end("]");
  });

  router.get("/catalog", async (_req, res) => {
    const local = await cachedLocalMunicipality(ctx);
    const modified = await lastProjectChange(ctx.db);
    res.type("application/ld+json").json(
      dcatCatalogue({
        origin: ctx.config.origin,
        publisherName: local?.name ?? "KOMINN",
        publisherUrl: local?.actorUrl ?? ctx.config.origin,
        contactUrl: local?.website || local?.actorUrl || ctx.config.origin,
        modified,
      }),
    );
  });

  return router;
}
