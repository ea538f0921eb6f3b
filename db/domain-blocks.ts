import { asc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { domainBlocks, type DomainBlock } from "./schema-federation.ts";

export async function listDomainBlocks(db: Db): Promise<DomainBlock[]> {
  return db.select().from(domainBlocks).orderBy(asc(domainBlocks.domain));
}

export async function addDomainBlock(db: Db, domain: string, reason = ""): Promise<boolean> {
  const inserted = await db.insert(domainBlocks).values({ domain, reason }).onConflictDoNothing().returning();
  generation++;
  return inserted.length > 0;
}

export async function removeDomainBlock(db: Db, domain: string): Promise<boolean> {
  const removed = await db.delete(domainBlocks).where(eq(domainBlocks.domain, domain)).returning();
  generation++;
  return removed.length > 0;
}

/**
 * Every inbound activity is checked against the block list, so the list is
 * kept in memory: renewed at once after a change through this process, and
 * within a few seconds after one made by another (the command line).
 */
const blockedCache = new WeakMap<Db, { generation: number; until: number; domains: Promise<Set<string>> }>();
const blockedTtlMs = 5_000;
let generation = 0;

function blockedDomains(db: Db): Promise<Set<string>> {
  const hit = blockedCache.get(db);
  if (hit && hit.generation === generation && hit.until > Date.now()) return hit.domains;
  const domains = db
    .select({ domain: domainBlocks.domain })
    .from(domainBlocks)
    .then((rows) => new Set(rows.map((r) => r.domain)));
  blockedCache.set(db, { generation, until: Date.now() + blockedTtlMs, domains });
  domains.catch(() => blockedCache.delete(db));
  return domains;
}

/** True when the host (with port, as in URL.host) or any parent domain of it is blocked. */
export async function isBlocked(db: Db, url: URL | string): Promise<boolean> {
  const u = typeof url === "string" ? new URL(url) : url;
  const candidates = new Set([u.host, u.hostname]);
  const parts = u.hostname.split(".");
  for (let i = 1; i < parts.length - 1; i++) candidates.add(parts.slice(i).join("."));
  const blocked = await blockedDomains(db);
  return [...candidates].some((c) => blocked.has(c));
}
