// Those who follow us: an administrator approves a follower held for
// approval, or removes one.
import type { Context } from "@fedify/fedify";
import { Accept, Follow, Organization, Reject } from "@fedify/vocab";
import { acceptFollower, getFollower, removeFollower } from "../db/followers.ts";
import { getFollowByTarget } from "../db/follows.ts";
import { newId } from "../db/ids.ts";
import type { FollowerRow } from "../db/schema-federation.ts";
import type { FederationDeps } from "./deps.ts";
import { ourMunicipality } from "./follow-error.ts";
import { sendFollow } from "./following.ts";
import { lookupByUrl } from "./loaders.ts";
import { recipientOf } from "./recipients.ts";

export class Followers {
  readonly #context: () => Context<FederationDeps>;

  constructor(context: () => Context<FederationDeps>) {
    this.#context = context;
  }

  /** Accepts a pending follower (and on the national instance follows a municipality back). */
  async approve(id: string): Promise<FollowerRow | undefined> {
    const ctx = this.#context();
    const app = ctx.data;
    const self = await ourMunicipality(app.db);
    const row = await getFollower(app.db, id);
    if (!row) return undefined;
    const accepted = await acceptFollower(app.db, id);
    await answerFollow(ctx, self.handle, row, "accept");
    if (app.config.role === "aggregator" && !(await getFollowByTarget(app.db, row.actorUrl))) {
      const actor = await lookupByUrl(ctx, row.actorUrl).catch(() => null);
      if (actor instanceof Organization && actor.id && actor.inboxId) await sendFollow(ctx, self.handle, actor);
    }
    return accepted;
  }

  /** Removes a follower and tells it so (a Reject of its Follow, as Mastodon does). */
  async remove(id: string): Promise<FollowerRow | undefined> {
    const ctx = this.#context();
    const self = await ourMunicipality(ctx.data.db);
    const row = await removeFollower(ctx.data.db, id);
    if (!row) return undefined;
    await answerFollow(ctx, self.handle, row, "reject");
    return row;
  }
}

/** Tells a follower that its Follow was accepted or is rejected (a removed follower gets the Reject, as Mastodon does). */
async function answerFollow(
  ctx: Context<FederationDeps>,
  handle: string,
  row: FollowerRow,
  answer: "accept" | "reject",
): Promise<void> {
  const me = ctx.getActorUri(handle);
  const Answer = answer === "accept" ? Accept : Reject;
  await ctx.sendActivity(
    { identifier: handle },
    recipientOf(row),
    new Answer({
      id: new URL(`${me.href}#${answer}s/${newId()}`),
      actor: me,
      object: new Follow({ id: new URL(row.followActivityId), actor: new URL(row.actorUrl), object: me }),
    }),
  );
}
