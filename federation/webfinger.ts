// Finding a peer's actor from what an administrator types: "@handle@domain"
// (through WebFinger) or the actor's URL.
import type { Context } from "@fedify/fedify";
import { isActor, type Actor } from "@fedify/vocab";
import { isBlocked } from "../db/domain-blocks.ts";
import type { FederationDeps, FederationConfig } from "./deps.ts";
import { FollowError } from "./follow-error.ts";
import { fetchActivityJson } from "./fetch-guard.ts";
import { lookupByUrl } from "./loaders.ts";

const handlePattern = /^@?([a-z0-9_.-]+)@([a-z0-9.-]+(?::\d+)?)$/i;

/** The actor behind "@handle@domain" or an actor URL; a FollowError naming `target` when there is none or its domain is blocked. */
export async function findActor(ctx: Context<FederationDeps>, target: string): Promise<Actor> {
  const input = target.trim();
  let lookup: string;
  if (handlePattern.test(input)) lookup = input.startsWith("@") ? input : `@${input}`;
  else if (/^https?:\/\/\S+$/.test(input)) lookup = input;
  else throw new FollowError(400, "target", "må være @navn@domene eller en http(s)-adresse");
  const host = handlePattern.test(input) ? input.replace(handlePattern, "$2") : new URL(input).host;
  if (await isBlocked(ctx.data.db, `https://${host}/`)) throw new FollowError(422, "target", `domenet ${host} er blokkert`);
  let actor;
  try {
    const url = lookup.startsWith("@") ? await webfinger(ctx.data.config, lookup) : lookup;
    actor = url ? await lookupByUrl(ctx, url) : null;
  } catch {
    actor = null;
  }
  if (!actor || !isActor(actor) || !actor.id || !actor.inboxId) {
    throw new FollowError(422, "target", `fant ingen kommune (ActivityPub-aktør) på ${input}`);
  }
  return actor;
}

/**
 * WebFinger over https; in test and demo mode (KOMINN_ALLOW_HOSTS names
 * hosts) also over plain http, since loopback peers have no certificates.
 * The address policy applies either way.
 */
async function webfinger(config: FederationConfig, handle: string): Promise<string | undefined> {
  const [, user, host] = handlePattern.exec(handle)!;
  const plainHttp = config.allowHosts.length > 0;
  const loopbackLike = /^(localhost|\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\])(:\d+)?$/i.test(host);
  const schemes = !plainHttp ? ["https"] : loopbackLike ? ["http", "https"] : ["https", "http"];
  for (const scheme of schemes) {
    const url = `${scheme}://${host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${host}`)}`;
    try {
      const { status, json } = await fetchActivityJson(url, { network: config, accept: "application/jrd+json, application/json" });
      if (status !== 200) continue;
      const links = (json as { links?: { rel?: string; type?: string; href?: string }[] }).links ?? [];
      const self = links.find((l) => l.rel === "self" && /activity\+json|ld\+json/.test(l.type ?? ""));
      if (self?.href) return self.href;
    } catch {
      // try the next scheme
    }
  }
  return undefined;
}
