import type { RequestHandler } from "express";
import { getTokenAccount } from "../../db/accounts.ts";
import { may, type Action } from "../../core/rules.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "./errors.ts";
import { t } from "../../web/texts.ts";

/** Reads `Authorization: Bearer <token>`; a present but invalid token is a 401, never ignored. */
export function loadApiToken(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const header = req.get("authorization");
    if (!header) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const account = match ? await getTokenAccount(ctx.db, match[1]) : undefined;
    if (!account) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="kominn", error="invalid_token"');
      return next(new HttpError(401, t.api.invalidToken));
    }
    res.locals.account = account;
    next();
  };
}

/** API writes: 401 without a valid token, 403 when the role may not. */
export function requireApi(action: Action): RequestHandler {
  return (_req, res, next) => {
    const account = res.locals.account;
    if (!account) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="kominn"');
      return next(new HttpError(401, t.api.tokenRequired));
    }
    if (!may(account.role, action)) return next(new HttpError(403, t.api.roleForbidden));
    next();
  };
}
