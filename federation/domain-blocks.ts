// Domains we refuse to federate with, their import and export as CSV
// (Mastodon's export uses the same first column).
import type { Db } from "../db/client.ts";
import { addDomainBlock, isBlocked, listDomainBlocks, removeDomainBlock } from "../db/domain-blocks.ts";
import { removeFollower, listFollowers } from "../db/followers.ts";
import { deleteFollow, listFollows } from "../db/follows.ts";
import type { FederationDeps } from "./deps.ts";
import { FollowError } from "./follow-error.ts";
import { removeProjectsOf } from "./remote-projects.ts";

const domainPattern = /^(?=.{1,253}$)([a-z0-9-]+\.)*[a-z0-9-]+(:\d{1,5})?$/i;

export class DomainBlocks {
  readonly #app: FederationDeps;

  constructor(app: FederationDeps) {
    this.#app = app;
  }

  get #db(): Db {
    return this.#app.db;
  }

  /** Blocks a domain: its activities are refused from now on, its followers removed, our follows there dropped. */
  async block(domain: string, reason = ""): Promise<{ added: boolean; followersRemoved: number }> {
    const d = domain.trim().toLowerCase();
    if (!domainPattern.test(d)) throw new FollowError(400, "domain", "må være et domenenavn, f.eks. eksempel.no");
    const added = await addDomainBlock(this.#db, d, reason.slice(0, 500));
    let followersRemoved = 0;
    for (const f of await listFollowers(this.#db)) {
      if (await isBlocked(this.#db, f.actorUrl)) {
        await removeFollower(this.#db, f.id);
        followersRemoved++;
      }
    }
    for (const f of await listFollows(this.#db)) {
      if (await isBlocked(this.#db, f.targetActorUrl)) {
        await deleteFollow(this.#db, f.id);
        await removeProjectsOf(this.#app, f.targetActorUrl);
      }
    }
    return { added, followersRemoved };
  }

  async unblock(domain: string): Promise<boolean> {
    return removeDomainBlock(this.#db, domain.trim().toLowerCase());
  }

  /** CSV with a header row: domain,reason. */
  async exportCsv(): Promise<string> {
    const rows = await listDomainBlocks(this.#db);
    return ["domain,reason", ...rows.map((r) => `${r.domain},${csvField(r.reason)}`)].join("\n") + "\n";
  }

  /**
   * Imports blocks from CSV (first column the domain, second an optional
   * reason; a header row is skipped). All or nothing: with any bad line,
   * nothing is added and the bad lines are returned.
   */
  async importCsv(csv: string): Promise<{ added: number; invalid: string[] }> {
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
    for (const v of valid) if ((await this.block(v.domain, v.reason)).added) added++;
    return { added, invalid };
  }
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
