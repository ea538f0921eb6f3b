import type { Context, Federation, RequestContext } from "@fedify/fedify";
import { Endpoints, Image, Organization, PropertyValue, Service, type Actor } from "@fedify/vocab";
import type { Db } from "../db/client.ts";
import { getLocalMunicipality, upsertRemoteMunicipality } from "../db/municipalities.ts";
import type { Municipality } from "../db/schema.ts";
import type { FederationDeps } from "./deps.ts";
import { escapeHtml } from "../core/html.ts";
import { htmlToText, sanitize } from "../core/markdown.ts";
import { stripControlCharacters } from "../core/text.ts";
import { actorKeyPairs } from "./keys.ts";
import { getFederationSettings } from "../db/federation-settings.ts";
import { getSetting } from "../db/settings.ts";
import { getProfileMedia } from "../db/media.ts";
import type { MediaRow } from "../db/schema-media.ts";
import { readActorProfile } from "../core/actor-profile.ts";
import { paths } from "../core/urls.ts";
import { instant } from "./time.ts";

/** Profile fields carried as schema.org PropertyValues (Mastodon shows them as profile metadata). */
export const profileFieldNames = {
  kommunenummer: "Kommunenummer",
  fylke: "Fylke",
  region: "Region",
  website: "Nettsted",
} as const;

/**
 * A profile field's value as Mastodon expects a link: an anchor with
 * rel="me", its text the address, so Mastodon can verify it (the page links
 * back to the actor) and a peer reading the text gets the address.
 */
function meLink(url: string): string {
  const text = url.replace(/^mailto:/, "");
  return `<a href="${escapeHtml(url)}" rel="me nofollow noopener" target="_blank">${escapeHtml(text)}</a>`;
}

/** An uploaded icon or header as an ActivityStreams Image. */
function pictureOf(row: MediaRow, origin: string): Image {
  return new Image({
    url: new URL(`${origin}${paths.media(String(row.fileName))}`),
    mediaType: row.mediaType,
    width: row.width,
    height: row.height,
    name: row.name || null,
  });
}

export const actorPaths = {
  actor: "/kommune/{identifier}",
  inbox: "/kommune/{identifier}/inbox",
  sharedInbox: "/inbox",
  outbox: "/kommune/{identifier}/outbox",
  followers: "/kommune/{identifier}/followers",
  following: "/kommune/{identifier}/following",
  featured: "/kommune/{identifier}/featured",
} as const;

/** This instance's municipality, when `identifier` is its handle. */
export async function localActorRow(db: Db, identifier: string): Promise<Municipality | undefined> {
  const local = await getLocalMunicipality(db);
  return local && local.handle === identifier ? local : undefined;
}

async function buildActor(ctx: Context<FederationDeps>, m: Municipality): Promise<Organization | Service> {
  const keys = await ctx.getActorKeyPairs(m.handle);
  const settings = await getFederationSettings(ctx.data.db);
  const [profile, icon, header] = await Promise.all([
    getSetting(ctx.data.db, "actorProfile").then(readActorProfile),
    getProfileMedia(ctx.data.db, "icon"),
    getProfileMedia(ctx.data.db, "header"),
  ]);
  const origin = new URL(ctx.getActorUri(m.handle)).origin;
  const fields = [
    ...(Object.keys(profileFieldNames) as (keyof typeof profileFieldNames)[])
      .filter((k) => m[k])
      .map((k) => new PropertyValue({ name: profileFieldNames[k], value: k === "website" ? meLink(String(m[k])) : escapeHtml(String(m[k])) })),
    ...profile.links.map((l) => new PropertyValue({ name: l.label, value: meLink(l.url) })),
  ];
  const values = {
    id: ctx.getActorUri(m.handle),
    preferredUsername: m.handle,
    name: m.name,
    summary: m.description ? `<p>${escapeHtml(m.description)}</p>` : null,
    url: ctx.getActorUri(m.handle),
    inbox: ctx.getInboxUri(m.handle),
    outbox: ctx.getOutboxUri(m.handle),
    followers: ctx.getFollowersUri(m.handle),
    following: ctx.getFollowingUri(m.handle),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
    featured: ctx.getFeaturedUri(m.handle),
    published: instant(m.createdAt),
    icon: icon ? pictureOf(icon, origin) : m.logoUrl ? new Image({ url: new URL(m.logoUrl) }) : null,
    image: header ? pictureOf(header, origin) : null,
    attachments: fields,
    manuallyApprovesFollowers: settings.approveFollowers,
    discoverable: profile.discoverable,
    indexable: profile.indexable,
  };
  // The national aggregator is a service, not a municipality.
  return ctx.data.config.role === "aggregator" ? new Service(values) : new Organization(values);
}

export function registerActor(federation: Federation<FederationDeps>): void {
  federation
    .setActorDispatcher(actorPaths.actor, async (ctx: RequestContext<FederationDeps>, identifier: string) => {
      const m = await localActorRow(ctx.data.db, identifier);
      return m ? buildActor(ctx, m) : null;
    })
    .setKeyPairsDispatcher(async (ctx: Context<FederationDeps>, identifier: string) => {
      if (!(await localActorRow(ctx.data.db, identifier))) return [];
      return actorKeyPairs(ctx.data.db);
    });
}

export async function localActor(ctx: Context<FederationDeps>): Promise<Organization | Service | undefined> {
  const m = await getLocalMunicipality(ctx.data.db);
  return m ? buildActor(ctx, m) : undefined;
}

/** `@handle@host` of any actor. */
export function actorHandle(actor: Actor): string {
  return `@${actor.preferredUsername ?? "ukjent"}@${actor.id!.host}`;
}

/** Creates or refreshes the row for a remote actor (a peer municipality, or any fediverse account that follows us). */
export async function rememberActor(db: Db, actor: Actor): Promise<Municipality> {
  const fields = new Map<string, string>();
  for await (const a of actor.getAttachments()) {
    if (a instanceof PropertyValue && typeof a.name === "string" && typeof a.value === "string") {
      fields.set(a.name, htmlToText(a.value));
    }
  }
  const icon = await actor.getIcon();
  const iconUrl = icon?.url instanceof URL ? icon.url.href : (icon?.url?.href?.href ?? null);
  const website = fields.get(profileFieldNames.website) ?? null;
  const kommunenummer = fields.get(profileFieldNames.kommunenummer) ?? null;
  // Names and fields are a peer's text: drop what no database or feed can carry.
  return upsertRemoteMunicipality(db, stripControlCharacters({
    actorUrl: actor.id!.href,
    handle: String(actor.preferredUsername ?? actor.id!.pathname.split("/").pop()),
    domain: actor.id!.host,
    name: String(actor.name ?? actor.preferredUsername ?? actor.id!.host).slice(0, 200),
    kommunenummer: kommunenummer && /^\d{4}$/.test(kommunenummer) ? kommunenummer : null,
    fylke: fields.get(profileFieldNames.fylke)?.slice(0, 60) ?? null,
    region: fields.get(profileFieldNames.region)?.slice(0, 60) ?? null,
    website: website && /^https?:\/\//.test(website) ? website.slice(0, 300) : null,
    logoUrl: iconUrl && /^https?:\/\//.test(iconUrl) ? iconUrl.slice(0, 300) : null,
    description: actor.summary ? htmlToText(sanitize(String(actor.summary))).slice(0, 5_000) : "",
    inboxUrl: actor.inboxId?.href ?? null,
    sharedInboxUrl: actor.endpoints?.sharedInbox?.href ?? null,
  }));
}
