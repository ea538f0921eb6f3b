// Issue 18's figures: 10,000 staff follows and 1,000 saved searches on one
// instance; a burst of 500 new projects from peers: how long until every
// notification is stored, and how long the daily digests for everyone take.
// Each figure stands beside a floor measured in the same run: the burst's own
// storage (the projects and their events, which the notifications wait for),
// and the same number of plain e-mails queued one per transaction.
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/client.ts";
import { journalHead } from "../db/journal.ts";
import { overviewSubscriber } from "../db/overview-counters.ts";
import { newId } from "../db/ids.ts";
import { accounts } from "../db/schema.ts";
import { subscriptionKeys, subscriptions } from "../db/schema-notifications.ts";
import { queueMail } from "../services/mail.ts";
import { projectFacets, projectKeys, searchMatches, type SavedSearch } from "../services/subscriptions.ts";
import { subscriptionsUnder } from "../db/notifications.ts";
import { serviceAreas } from "../core/taxonomies.ts";
import { setupInstance } from "../services/setup.ts";
import { peerMunicipality, receiveRemote } from "../tests/notifications/helpers.ts";
import type { TestInstance } from "../tests/helpers/instance.ts";
import { backendsFor, startBenchInstance, type Backend } from "./instance.ts";
import type { Row } from "./measure.ts";

export interface NotificationBenchOptions {
  /** Staff members; each follows `follows / staff` things. */
  staff: number;
  follows: number;
  savedSearches: number;
  burst: number;
  postgresUrl?: string;
  /** Only these backends (default: PostgreSQL when a URL is given, then PGlite). */
  backends?: Backend[];
}

const words = ["velferdsteknologi", "fallsensor", "hjemmetjenesten", "svømmeopplæring", "overvann", "byggesak", "digital", "skolefravær", "legevakt", "boligkontor", "frivillighet", "klima", "energi", "integrering", "tjenestedesign", "sensor", "nattilsyn", "bibliotek", "parkering", "avfall"];
const areas = serviceAreas.map((a) => a.slug);
const note = (line: string) => console.error(line);
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

async function one(backend: Backend, options: NotificationBenchOptions): Promise<Row[]> {
  const instance = await startBenchInstance(backend);
  const inst = instance as TestInstance;
  const { db } = instance.ctx;
  try {
    const { municipality, admin } = await setupInstance(
      db,
      { name: "Fredrikstad kommune", kommunenummer: "3107", fylke: "Østfold", handle: "fredrikstad", adminEmail: "admin@fredrikstad.bench", adminPassword: "et-langt-passord-123" },
      { origin: instance.ctx.config.origin, role: "municipality" },
    );
    inst.municipality = municipality;
    inst.admin = admin;
    note(`${backend}: ${options.staff} staff, ${options.follows} follows, ${options.savedSearches} saved searches`);
    const peers = [];
    for (let i = 0; i < 50; i++) peers.push(await peerMunicipality(inst, `peer${i}`, `Kommune ${i}`, String(3000 + i)));
    const staff = Array.from({ length: options.staff }, (_, i) => ({ id: newId(), email: `ansatt${i}@fredrikstad.bench`, name: `Ansatt ${i}`, role: "editor" as const }));
    for (let i = 0; i < staff.length; i += 1_000) await db.insert(accounts).values(staff.slice(i, i + 1_000));
    // Follows of service areas and municipalities, filed in the index as the service files them.
    const subs: (typeof subscriptions.$inferInsert)[] = [];
    const keys: (typeof subscriptionKeys.$inferInsert)[] = [];
    for (let i = 0; i < options.follows; i++) {
      const who = staff[i % staff.length];
      const id = newId();
      if (i % 2 === 0) {
        const area = pick(areas, i * 7 + Math.floor(i / staff.length));
        subs.push({ id, accountId: who.id, kind: "service-area", target: area, label: area });
        keys.push({ key: `a:${area}`, subscriptionId: id });
      } else {
        const peer = pick(peers, i * 13 + Math.floor(i / staff.length));
        subs.push({ id, accountId: who.id, kind: "municipality", target: peer.actorUrl, label: peer.name });
        keys.push({ key: `m:${peer.actorUrl}`, subscriptionId: id });
      }
    }
    for (let i = 0; i < subs.length; i += 1_000) {
      await db.insert(subscriptions).values(subs.slice(i, i + 1_000)).onConflictDoNothing();
      await db.insert(subscriptionKeys).values(keys.slice(i, i + 1_000)).onConflictDoNothing();
    }
    // Saved searches through the service (the search page's parser, the index's keys).
    for (let i = 0; i < options.savedSearches; i++) {
      const who = staff[(i * 31) % staff.length];
      const q = i % 4 === 3 ? `${pick(words, i)} ${pick(words, i * 3 + 1)}` : pick(words, i * 5);
      const filter = i % 3 === 0 ? `&serviceArea=${pick(areas, i)}` : i % 3 === 1 ? "&scope=fylke" : `&phase=${pick(["test", "drift", "skalering"], i)}`;
      await instance.ctx.subscriptions.follow(who, { kind: "search", target: `/sok?q=${encodeURIComponent(q)}${filter}` });
    }
    await db.execute(sql`analyze`);

    // The burst: new projects from the peers, stored as deliveries store them.
    note(`${backend}: burst of ${options.burst} projects`);
    const headBefore = await journalHead(db);
    const t0 = performance.now();
    for (let i = 0; i < options.burst; i++) {
      const peer = pick(peers, i);
      await receiveRemote(inst, peer, `burst-${i}`, {
        title: `${pick(words, i)} og ${pick(words, i * 3 + 1)} i ${peer.name}`,
        summary: `Et prosjekt om ${pick(words, i * 7 + 2)}.`,
        serviceAreas: [pick(areas, i), pick(areas, i * 3)],
        phase: pick(["test", "drift", "skalering", "ide"], i),
      });
    }
    // The last project of the burst is stored: from here, what is left is the subscribers' work.
    const burstStored = performance.now() - t0;
    const head = await journalHead(db);
    // When each subscriber has every event of the burst: the last of the others (search, imitations, overview, …) is the floor.
    const doneAt = new Map<string, number>();
    await until(async () => {
      const rows = rowsOf<{ subscriber: string; position: string | number }>(await db.execute(sql`select subscriber, position from event_positions`));
      const now = performance.now() - t0;
      for (const r of rows) if (Number(r.position) >= head && !doneAt.has(r.subscriber)) doneAt.set(r.subscriber, now);
      return rows.every((r) => doneAt.has(r.subscriber));
    });
    const notified = doneAt.get("notifications") ?? 0;
    // The others that work on a remote project (server/subscribers.ts); those that only pass over it store their position lazily.
    const others = [...doneAt].filter(([name]) => ["imitations", "search", overviewSubscriber, "ideas"].includes(name));
    const stored = Math.max(burstStored, ...others.map(([, at]) => at));
    const lastOther = others.sort((a, b) => b[1] - a[1])[0]?.[0];
    const [{ n: stored_n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from notification_recipients`));
    const [{ n: shared_n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from notification_events`));
    void headBefore;

    // How matching scales: the index's candidates for each project against testing every saved search.
    const projects = rowsOf<{ payload: { project: Parameters<typeof projectKeys>[0] } }>(
      await db.execute(sql`select payload from domain_events where name = 'remote.project.upserted' order by id desc limit 100`),
    ).map((r) => r.payload.project);
    const matching = instance.ctx.subscriptions.matching;
    const all = await db.select().from(subscriptions).where(sql`${subscriptions.kind} = 'search'`);
    let tIndex = 0;
    let tScan = 0;
    let candidates = 0;
    for (const p of projects) {
      const terms = matching.projectTerms(p);
      const facets = projectFacets(p, matching.regions, false);
      let t = performance.now();
      // The keys saved searches are filed under: a word, a filter value, or "*".
      const searchKeys = projectKeys(p, terms, facets).filter((k) => k === "*" || k.startsWith("t:") || k.startsWith("f:"));
      const found = (await subscriptionsUnder(db, searchKeys)).filter((s) => s.kind === "search" && searchMatches(s.search as SavedSearch, terms, facets));
      tIndex += performance.now() - t;
      candidates += found.length;
      t = performance.now();
      const scanned = (await db.select().from(subscriptions).where(sql`${subscriptions.kind} = 'search'`)).filter((s) => searchMatches(s.search as SavedSearch, terms, facets));
      tScan += performance.now() - t;
      if (scanned.length !== found.length) throw new Error(`index found ${found.length}, scan ${scanned.length}`);
    }

    // Daily digests for everyone at 07:00 Oslo time, against the same number of plain mails queued.
    note(`${backend}: digests`);
    const [{ n: people }] = rowsOf<{ n: number }>(await db.execute(sql`select count(distinct r.account_id)::int as n from notification_recipients r left join notification_prefs p on p.account_id = r.account_id where r.notification_id > coalesce(p.mailed_through, 0)`));
    let t = performance.now();
    const queued = await instance.notificationDigests.runOnce(new Date("2026-12-01T06:05:00Z"));
    const digests = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < queued; i++) {
      await db.transaction((tx) => queueMail(tx, { to: `golv${i}@fredrikstad.bench`, subject: "Golv", text: "Et kort brev.", dedupeKey: `floor:${i}` }));
    }
    const floor = performance.now() - t;
    const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
    return [
      { backend, figure: `burst of ${options.burst} → every notification stored (s)`, KOMINN: notified / 1000, "floor same run": stored / 1000, ratio: ratio(notified, stored), note: `${stored_n} notifications (${shared_n} shared rows); floor: the projects stored and every other subscriber done with them (last: ${lastOther})` },
      {
        backend,
        figure: "lag: last project stored → every notification stored (s)",
        KOMINN: (notified - burstStored) / 1000,
        "floor same run": (stored - burstStored) / 1000,
        ratio: ratio(notified - burstStored, Math.max(1, stored - burstStored)),
        note: `floor: the other subscribers' lag; the burst itself took ${(burstStored / 1000).toFixed(1)} s to store; goal 10 s`,
      },
      { backend, figure: "saved searches matched per project (ms)", KOMINN: tIndex / projects.length, "floor same run": tScan / projects.length, ratio: ratio(tIndex, tScan), note: `index vs scanning all ${all.length}; ${candidates} matches in ${projects.length} projects, the same either way` },
      { backend, figure: `daily digests for ${people} people (s)`, KOMINN: digests / 1000, "floor same run": floor / 1000, ratio: ratio(digests, floor), note: `${queued} mails queued; floor: as many plain mails queued; goal 60 s` },
    ];
  } finally {
    await instance.close();
  }
}

export async function benchNotifications(options: NotificationBenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const backend of options.backends ?? backendsFor(options.postgresUrl)) rows.push(...(await one(backend, options)));
  return rows;
}
