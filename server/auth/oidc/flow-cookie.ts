import type { Request, Response } from "express";
import { parse as parseCookies, serialize } from "cookie";
import { z } from "zod";
import { sameToken, signToken } from "../../../core/signed-token.ts";
import type { AppContext } from "../../context.ts";

/**
 * One sign-in in progress: PKCE verifier, state and nonce, kept in a
 * short-lived, HttpOnly cookie signed with the instance key. The callback
 * clears it, so a replayed callback finds nothing to continue.
 */
export interface Flow {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Local path to land on after sign-in. */
  next: string;
  /** Issuer the flow was started against (the admin page may change it meanwhile). */
  issuer: string;
  expiresAt: number;
}

const flowSchema = z.object({
  state: z.string().min(16),
  nonce: z.string().min(16),
  codeVerifier: z.string().min(43),
  next: z.string(),
  issuer: z.string(),
  expiresAt: z.number(),
});

const cookieName = "kominn_oidc_flow";
const cookiePath = "/logg-inn/oidc";
export const flowLifetimeMs = 10 * 60 * 1000;

function mac(ctx: AppContext, payload: string): string {
  return signToken(ctx.secret, "oidc-flow", payload);
}

function write(ctx: AppContext, res: Response, value: string, maxAgeSeconds: number): void {
  res.append(
    "Set-Cookie",
    // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
    serialize(cookieName, value, { httpOnly: true, sameSite: "lax", secure: ctx.config.secureCookies, path: cookiePath, maxAge: maxAgeSeconds }),
  );
}

export function saveFlow(ctx: AppContext, res: Response, flow: Omit<Flow, "expiresAt">): void {
  const payload = Buffer.from(JSON.stringify({ ...flow, expiresAt: Date.now() + flowLifetimeMs })).toString("base64url");
  write(ctx, res, `${payload}.${mac(ctx, payload)}`, flowLifetimeMs / 1000);
}

/** The flow of this browser, if its cookie is there, untampered and not expired. */
export function readFlow(ctx: AppContext, req: Request): Flow | undefined {
  const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[cookieName] : undefined;
  if (!raw) return undefined;
  const [payload, given] = raw.split(".");
  if (!payload || !given) return undefined;
  if (!sameToken(mac(ctx, payload), given)) return undefined;
  let parsed;
  try {
    parsed = flowSchema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return undefined;
  }
  if (!parsed.success || parsed.data.expiresAt < Date.now()) return undefined;
  return parsed.data;
}

export function clearFlow(ctx: AppContext, res: Response): void {
  write(ctx, res, "", 0);
}
