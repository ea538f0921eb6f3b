import type { Context, Federation } from "@fedify/fedify";
import { eachLimited } from "./each-limited.ts";
import { Accept, Follow, isActor, Organization, Reject, Undo, type Actor } from "@fedify/vocab";
import { addDomainBlock, isBlocked, listDomainBlocks, removeDomainBlock } from "../db/domain-blocks.ts";
import { acceptFollower, getFollower, listFollowers, removeFollower, removeFollowersByUrls } from "../db/followers.ts";
import { deleteFollow, getFollow, getFollowByTarget, listFollows, upsertFollow } from "../db/follows.ts";
import { newId } from "../db/ids.ts";
import { forgetPeer, markReachable, markUnreachable } from "../db/peer-status.ts";
import { getLocalMunicipality, getMunicipalityByActorUrl } from "../db/municipalities.ts";
import { listProjects } from "../db/projects.ts";
import type { FollowRow, FollowerRow } from "../db/schema-federation.ts";
import type { FederationDeps } from "./deps.ts";
import { actorHandle, rememberActor } from "./actor.ts";
import { fetchActivityJson } from "./fetch-guard.ts";
import { lookupByUrl } from "./loaders.ts";
import { removeProject } from "./remote-projects.ts";

/** A problem the administrator can fix; routes turn it into a 4xx naming the field. */
export class FollowError extends Error {
  readonly status: number;
  readonly field: string;
  constructor(status: number, field: string, message: string) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

const handlePattern = /^@?([a-z0-9_.-]+)@([a-z0-9.-]+(?::\d+)?)$/i;
export const domainPattern = /^(?=.{1,253}$)([a-z0-9-]+\.)*[a-z0-9-]+(:\d{1,5})?$/i;

/** What administrators do with federation: follow, unfollow, approve and remove followers, block domains. */
export class FollowService {
  readonly #app: FederationDeps;
  readonly #federation: Federation<FederationDeps>;

  constructor(app: FederationDeps, federation: Federation<FederationDeps>) {
    this.#app = app;
    this.#federation = federation;
  }

  context(): Context<FederationDeps> {
    return this.#federation.createContext(new URL(this.#app.config.origin), this.#app);
  }

  async #self() {
    const m = await getLocalMunicipality(this.#app.db);
    if (!m) throw new FollowError(409, "target", "Instansen er ikke satt opp ennå");
    return m;
  }

  /** Finds the actor behind "@handle@domain" or an actor URL. */
  async resolve(target: string): Promise<Actor> {
    const input = target.trim();
    let lookup: string;
    if (handlePattern.test(input)) lookup = input.startsWith("@") ? input : `@${input}`;
    else if (/^https?:\/\/\S+$/.test(input)) lookup = input;
    else throw new FollowError(400, "target", "må være @navn@domene eller en http(s)-adresse");
    const host = handlePattern.test(input) ? input.replace(handlePattern, "$2") : new URL(input).host;
    if (await isBlocked(this.#app.db, `https://${host}/`)) throw new FollowError(422, "target", `domenet ${host} er blokkert`);
    let actor;
    try {
      const url = lookup.startsWith("@") ? await this.#webfinger(lookup) : lookup;
      actor = url ? await lookupByUrl(this.context(), url) : null;
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
  async #webfinger(handle: string): Promise<string | undefined> {
    const [, user, host] = handlePattern.exec(handle)!;
    const plainHttp = this.#app.config.allowHosts.length > 0;
    const loopbackLike = /^(localhost|\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\])(:\d+)?$/i.test(host);
    const schemes = !plainHttp ? ["https"] : loopbackLike ? ["http", "https"] : ["https", "http"];
    for (const scheme of schemes) {
      const url = `${scheme}://${host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${host}`)}`;
      try {
        const { status, json } = await fetchActivityJson(url, { network: this.#app.config, accept: "application/jrd+json, application/json" });
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

  async follow(target: string): Promise<FollowRow> {
    const self = await this.#self();
    const actor = await this.resolve(target);
    if (actor.id!.href === self.actorUrl) throw new FollowError(422, "target", "en instans kan ikke følge seg selv");
    return sendFollow(this.context(), self.handle, actor);
  }

  /**
   * Follows many at once (one handle or actor URL per line; a header row and
   * `#` comments are skipped). Each line gets its own outcome; one bad line
   * never stops the rest. A target we already follow (pending or accepted) is
   * left as it is.
   */
  async bulkFollow(lines: readonly string[]): Promise<BulkFollowResult[]> {
    const targets: string[] = [];
    const seen = new Set<string>();
    for (const line of lines) {
      const target = (line.split(/[,;\t]/)[0] ?? "").trim().replace(/^"|"$/g, "");
      if (!target || target.startsWith("#") || /^(handle|target|actor|adresse|kommune)$/i.test(target)) continue;
      const key = target.toLowerCase().replace(/^@/, "");
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push(target);
    }
    // A few lookups at a time: a national list of a few hundred finishes in seconds, and no peer is flooded.
    const results: BulkFollowResult[] = new Array(targets.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < targets.length; i = next++) results[i] = await this.#followOne(targets[i]);
    };
    await Promise.all(Array.from({ length: Math.min(8, targets.length) }, worker));
    return results;
  }

  async #followOne(target: string): Promise<BulkFollowResult> {
    try {
      const actor = await this.resolve(target);
      const existing = await getFollowByTarget(this.#app.db, actor.id!.href);
      if (existing && existing.status !== "rejected") return { target, outcome: "already", actorUrl: actor.id!.href };
      const self = await this.#self();
      if (actor.id!.href === self.actorUrl) throw new FollowError(422, "target", "en instans kan ikke følge seg selv");
      const row = await sendFollow(this.context(), self.handle, actor);
      return { target, outcome: "followed", actorUrl: row.targetActorUrl };
    } catch (error) {
      if (error instanceof FollowError) return { target, outcome: "error", reason: error.message };
      this.#app.logger.warn(`bulk follow of ${target} failed`, error);
      return { target, outcome: "error", reason: "uventet feil; prøv igjen senere" };
    }
  }

  /** Stops following: tells the other side and drops the cached copies of its projects. */
  async unfollow(id: string): Promise<FollowRow | undefined> {
    const self = await this.#self();
    const row = await getFollow(this.#app.db, id);
    if (!row) return undefined;
    const ctx = this.context();
    const me = ctx.getActorUri(self.handle);
    await ctx.sendActivity(
      { identifier: self.handle },
      { id: new URL(row.targetActorUrl), inboxId: new URL(row.targetInbox) },
      new Undo({
        id: new URL(`${me.href}#undo/${newId()}`),
        actor: me,
        object: new Follow({ id: new URL(row.followActivityId), actor: me, object: new URL(row.targetActorUrl) }),
      }),
    );
    await deleteFollow(this.#app.db, row.id);
    await this.#dropProjectsOf(row.targetActorUrl);
    return row;
  }

  /**
   * Asks every followed actor whether it is still there. One that answers 410
   * Gone has left: its follow, follower row and cached projects go, so the
   * overview never counts it again (following it anew backfills it). One that
   * cannot be reached keeps its projects: it may come back. Eight at a time,
   * so a few that never answer do not hold up the rest.
   */
  async checkFollowed(): Promise<PeerCheck[]> {
    const rows = await listFollows(this.#app.db);
    const out: PeerCheck[] = new Array(rows.length);
    await eachLimited(rows, 8, async (row, i) => {
      let state: PeerCheck["state"];
      let problem = "";
      try {
        const { status } = await fetchActivityJson(row.targetActorUrl, { network: this.#app.config });
        state = status === 410 ? "gone" : status < 400 ? "ok" : "unreachable";
        problem = `HTTP ${status}`;
      } catch (error) {
        state = "unreachable";
        problem = error instanceof Error ? error.message : String(error);
      }
      if (state === "ok") await markReachable(this.#app.db, row.targetActorUrl);
      if (state === "unreachable") await markUnreachable(this.#app.db, row.targetActorUrl, problem);
      if (state === "gone") {
        await deleteFollow(this.#app.db, row.id);
        await removeFollowersByUrls(this.#app.db, [row.targetActorUrl]);
        await this.#dropProjectsOf(row.targetActorUrl);
        await forgetPeer(this.#app.db, row.targetActorUrl);
        this.#app.logger.info(`${row.targetHandle} answered 410 Gone: follow and cached projects removed`);
      }
      out[i] = { actorUrl: row.targetActorUrl, handle: row.targetHandle, state };
    });
    return out;
  }

  async #dropProjectsOf(actorUrl: string): Promise<void> {
    const m = await getMunicipalityByActorUrl(this.#app.db, actorUrl);
    if (!m || m.local) return;
    for (;;) {
      const page = await listProjects(this.#app.db, { origin: "remote", municipalityId: m.id }, { perPage: 100 });
      if (page.items.length === 0) return;
      for (const p of page.items) await removeProject(this.#app, m, p.url);
    }
  }

  async approveFollower(id: string): Promise<FollowerRow | undefined> {
    const self = await this.#self();
    const row = await getFollower(this.#app.db, id);
    if (!row) return undefined;
    const accepted = await acceptFollower(this.#app.db, id);
    const ctx = this.context();
    const me = ctx.getActorUri(self.handle);
    await ctx.sendActivity(
      { identifier: self.handle },
      recipientOf(row),
      new Accept({
        id: new URL(`${me.href}#accepts/${newId()}`),
        actor: me,
        object: new Follow({ id: new URL(row.followActivityId), actor: new URL(row.actorUrl), object: me }),
      }),
    );
    if (this.#app.config.role === "aggregator" && !(await getFollowByTarget(this.#app.db, row.actorUrl))) {
      const actor = await lookupByUrl(ctx, row.actorUrl).catch(() => null);
      if (actor instanceof Organization && actor.id && actor.inboxId) await sendFollow(ctx, self.handle, actor);
    }
    return accepted;
  }

  /** Removes a follower and tells it so (a Reject of its Follow, as Mastodon does). */
  async removeFollower(id: string): Promise<FollowerRow | undefined> {
    const self = await this.#self();
    const row = await removeFollower(this.#app.db, id);
    if (!row) return undefined;
    const ctx = this.context();
    const me = ctx.getActorUri(self.handle);
    await ctx.sendActivity(
      { identifier: self.handle },
      recipientOf(row),
      new Reject({
        id: new URL(`${me.href}#rejects/${newId()}`),
        actor: me,
        object: new Follow({ id: new URL(row.followActivityId), actor: new URL(row.actorUrl), object: me }),
      }),
    );
    return row;
  }

  /** Blocks a domain: its activities are refused from now on, its followers removed, our follows there dropped. */
  async blockDomain(domain: string, reason = ""): Promise<{ added: boolean; followersRemoved: number }> {
    const d = domain.trim().toLowerCase();
    if (!domainPattern.test(d)) throw new FollowError(400, "domain", "må være et domenenavn, f.eks. eksempel.no");
    const added = await addDomainBlock(this.#app.db, d, reason.slice(0, 500));
    let followersRemoved = 0;
    for (const f of await listFollowers(this.#app.db)) {
      if (await isBlocked(this.#app.db, f.actorUrl)) {
        await removeFollower(this.#app.db, f.id);
        followersRemoved++;
      }
    }
    for (const f of await listFollows(this.#app.db)) {
      if (await isBlocked(this.#app.db, f.targetActorUrl)) {
        await deleteFollow(this.#app.db, f.id);
        await this.#dropProjectsOf(f.targetActorUrl);
      }
    }
    return { added, followersRemoved };
  }

  async unblockDomain(domain: string): Promise<boolean> {
    return removeDomainBlock(this.#app.db, domain.trim().toLowerCase());
  }

  /** CSV with a header row: domain,reason (Mastodon's export uses the same first column). */
  async exportBlocksCsv(): Promise<string> {
    const rows = await listDomainBlocks(this.#app.db);
    return ["domain,reason", ...rows.map((r) => `${r.domain},${csvField(r.reason)}`)].join("\n") + "\n";
  }

  /**
   * Imports blocks from CSV (first column the domain, second an optional
   * reason; a header row is skipped). All or nothing: with any bad line,
   * nothing is added and the bad lines are returned.
   */
  async importBlocksCsv(csv: string): Promise<{ added: number; invalid: string[] }> {
    const invalid: string[] = [];
    const valid: { domain: string; reason: string }[] = [];
    const lines = csv.split(/\r?\n/).map((l) => l.trim());
    for (const [i, line] of lines.entries()) {
      if (!line) continue;
      const [first, ...rest] = parseCsvLine(line);
      const domain = (first ?? "").trim().toLowerCase().replace(/^#/, "");
      if (i === 0 && /^#?domain$/.test(domain)) continue;
      if (!domainPattern.test(domain)) invalid.push(`linje ${i + 1}: ${line.slice(0, 80)}`);
      else valid.push({ domain, reason: rest.join(",").trim() });
    }
    if (invalid.length > 0) return { added: 0, invalid };
    let added = 0;
    for (const v of valid) if ((await this.blockDomain(v.domain, v.reason)).added) added++;
    return { added, invalid };
  }
}

export interface PeerCheck {
  actorUrl: string;
  handle: string;
  state: "ok" | "unreachable" | "gone";
}

export interface BulkFollowResult {
  target: string;
  outcome: "followed" | "already" | "error";
  actorUrl?: string;
  reason?: string;
}

/** Sends a Follow to an actor already looked up, and remembers it as pending. */
export async function sendFollow(ctx: Context<FederationDeps>, handle: string, actor: Actor): Promise<FollowRow> {
  const me = ctx.getActorUri(handle);
  const followId = new URL(`${me.href}#follows/${newId()}`);
  await rememberActor(ctx.data.db, actor);
  const row = await upsertFollow(ctx.data.db, {
    targetActorUrl: actor.id!.href,
    targetHandle: actorHandle(actor),
    targetName: actor.name?.toString() ?? null,
    targetInbox: actor.inboxId!.href,
    followActivityId: followId.href,
  });
  await ctx.sendActivity({ identifier: handle }, actor, new Follow({ id: followId, actor: me, object: actor.id }));
  return row;
}

function recipientOf(row: FollowerRow) {
  return {
    id: new URL(row.actorUrl),
    inboxId: new URL(row.inboxUrl),
    endpoints: row.sharedInboxUrl ? { sharedInbox: new URL(row.sharedInboxUrl) } : null,
  };
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") out.push(field), (field = "");
    else field += c;
  }
  out.push(field);
  return out;
}
