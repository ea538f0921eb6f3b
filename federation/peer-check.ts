// The national instance looks in on the municipalities it follows (every six
// hours, and when an administrator asks): one that has gone leaves the overview.
import { removeFollowersByUrls } from "../db/followers.ts";
import { deleteFollow, listFollows } from "../db/follows.ts";
import { forgetPeer, markReachable, markUnreachable } from "../db/peer-status.ts";
import type { FederationDeps } from "./deps.ts";
import { eachLimited } from "./each-limited.ts";
import { fetchActivityJson } from "./fetch-guard.ts";
import { removeProjectsOf } from "./remote-projects.ts";

export interface PeerCheck {
  actorUrl: string;
  handle: string;
  state: "ok" | "unreachable" | "gone";
}

/**
 * Asks every followed actor whether it is still there. One that answers 410
 * Gone has left: its follow, follower row and cached projects go, so the
 * overview never counts it again (following it anew backfills it). One that
 * cannot be reached keeps its projects: it may come back. Eight at a time,
 * so a few that never answer do not hold up the rest.
 */
export async function checkPeers(app: FederationDeps): Promise<PeerCheck[]> {
  const rows = await listFollows(app.db);
  const out: PeerCheck[] = new Array(rows.length);
  await eachLimited(rows, 8, async (row, i) => {
    let state: PeerCheck["state"];
    let problem = "";
    try {
      const { status } = await fetchActivityJson(row.targetActorUrl, { network: app.config });
      state = status === 410 ? "gone" : status < 400 ? "ok" : "unreachable";
      problem = `HTTP ${status}`;
    } catch (error) {
      state = "unreachable";
      problem = error instanceof Error ? error.message : String(error);
    }
    if (state === "ok") await markReachable(app.db, row.targetActorUrl);
    if (state === "unreachable") await markUnreachable(app.db, row.targetActorUrl, problem);
    if (state === "gone") {
      await deleteFollow(app.db, row.id);
      await removeFollowersByUrls(app.db, [row.targetActorUrl]);
      await removeProjectsOf(app, row.targetActorUrl);
      await forgetPeer(app.db, row.targetActorUrl);
      app.logger.info(`${row.targetHandle} answered 410 Gone: follow and cached projects removed`);
    }
    out[i] = { actorUrl: row.targetActorUrl, handle: row.targetHandle, state };
  });
  return out;
}
