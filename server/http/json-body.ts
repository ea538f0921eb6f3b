import type { RequestHandler } from "express";
import { t } from "../../web/texts.ts";
import { HttpError } from "./errors.ts";

/** API writes take JSON only: anything else is a 415 naming the Content-Type header. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (req.is("application/json")) return next();
  next(new HttpError(415, t.api.jsonRequired, [{ field: "Content-Type", message: t.api.jsonRequiredField }]));
};
