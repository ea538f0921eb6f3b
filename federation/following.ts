// The municipalities we follow: follow one or many, stop following.
import type { Context } from "@fedify/fedify";
import { Follow, Undo, type Actor } from "@fedify/vocab";
import { deleteFollow, getFollow, getFollowByTarget, upsertFollow } from "../db/follows.ts";
import { newId } from "../db/ids.ts";
import type { FollowRow } from "../db/schema-federation.ts";
import type { FederationDeps } from "./deps.ts";
import { actorHandle, rememberActor } from "./actor.ts";
import { FollowError, ourMunicipality } from "./follow-error.ts";
import { recipientOf } from "./recipients.ts";
import { removeProjectsOf } from "./remote-projects.ts";
import { findActor } from "./webfinger.ts";

export interface BulkFollowResult {
  target: string;
  outcome: "followed" | "already" | "error";
  actorUrl?: string;
  reason?: string;
}

/** What administrators do with the municipalities we follow. */
export class Following {
  readonly #context: () => Context<FederationDeps>;

  constructor(context: () => Context<FederationDeps>) {
    this.#context = context;
  }

  /** Follows "@handle@domain" or an actor URL; a FollowError naming `target` when it cannot be. */
  async follow(target: string): Promise<FollowRow> {
    const ctx = this.#context();
    const self = await ourMunicipality(ctx.data.db);
    const actor = await findActor(ctx, target);
    if (actor.id!.href === self.actorUrl) throw new FollowError(422, "target", "en instans kan ikke følge seg selv");
    return sendFollow(ctx, self.handle, actor);
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
    const ctx = this.#context();
    try {
      const actor = await findActor(ctx, target);
      const existing = await getFollowByTarget(ctx.data.db, actor.id!.href);
      if (existing && existing.status !== "rejected") return { target, outcome: "already", actorUrl: actor.id!.href };
      const self = await ourMunicipality(ctx.data.db);
      if (actor.id!.href === self.actorUrl) throw new FollowError(422, "target", "en instans kan ikke følge seg selv");
      const row = await sendFollow(ctx, self.handle, actor);
      return { target, outcome: "followed", actorUrl: row.targetActorUrl };
    } catch (error) {
      if (error instanceof FollowError) return { target, outcome: "error", reason: error.message };
      ctx.data.logger.warn(`bulk follow of ${target} failed`, error);
      return { target, outcome: "error", reason: "uventet feil; prøv igjen senere" };
    }
  }

  /** Stops following: tells the other side and drops the cached copies of its projects. */
  async unfollow(id: string): Promise<FollowRow | undefined> {
    const ctx = this.#context();
    const app = ctx.data;
    const self = await ourMunicipality(app.db);
    const row = await getFollow(app.db, id);
    if (!row) return undefined;
    const me = ctx.getActorUri(self.handle);
    await ctx.sendActivity(
      { identifier: self.handle },
      recipientOf({ actorUrl: row.targetActorUrl, inboxUrl: row.targetInbox }),
      new Undo({
        id: new URL(`${me.href}#undo/${newId()}`),
        actor: me,
        object: new Follow({ id: new URL(row.followActivityId), actor: me, object: new URL(row.targetActorUrl) }),
      }),
    );
    await deleteFollow(app.db, row.id);
    await removeProjectsOf(app, row.targetActorUrl);
    return row;
  }
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
