import { asc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { domainBlocks, type DomainBlock } from "./schema-federation.ts";

export async function listDomainBlocks(db: Db): Promise<DomainBlock[]> {
  return db.select().from(domainBlocks).orderBy(asc(domainBlocks.domain));
}

export async function addDomainBlock(db: Db, domain: string, reason = ""): Promise<boolean> {
  const inserted = await db.insert(domainBlocks).values({ domain, reason }).onConflictDoNothing().returning();
  return inserted.length > 0;
}

export async function removeDomainBlock(db: Db, domain: string): Promise<boolean> {
  return (await db.delete(domainBlocks).where(eq(domainBlocks.domain, domain)).returning()).length > 0;
}

/** True when the host (with port, as in URL.host) or any parent domain of it is blocked. */
export async function isBlocked(db: Db, url: URL | string): Promise<boolean> {
  const u = typeof url === "string" ? new URL(url) : url;
  const candidates = new Set([u.host, u.hostname]);
  const parts = u.hostname.split(".");
  for (let i = 1; i < parts.length - 1; i++) candidates.add(parts.slice(i).join("."));
  const rows = await db.select({ domain: domainBlocks.domain }).from(domainBlocks);
  return rows.some((r) => candidates.has(r.domain));
}
