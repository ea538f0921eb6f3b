import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers, freshPostgresDatabase } from "../helpers/databases.ts";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { signInAdmin } from "../http/pages-support.ts";
import { rowsOf } from "../../db/client.ts";
import { startSmtp, type TestSmtp } from "../mail/smtp-server.ts";
import { notificationsSeen, peerMunicipality, receiveRemote } from "./helpers.ts";

/** 07:05 in Oslo on Tuesday 1 December 2026 (UTC+1 in winter), and the hour before. */
const sevenOslo = new Date("2026-12-01T06:05:00Z");
const sixOslo = new Date("2026-12-01T05:05:00Z");

/** The plain-text part of a received message, quoted-printable decoded. */
function textOf(raw: string): string {
  const start = raw.indexOf("Content-Type: text/plain");
  const body = raw.slice(raw.indexOf("\r\n\r\n", start) + 4);
  const boundary = /boundary="([^"]+)"/.exec(raw)![1];
  const part = body.slice(0, body.indexOf(`\r\n--${boundary}`));
  const bytes = part.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, "%25"));
}

async function scalar(inst: TestInstance, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await inst.ctx.db.execute(query));
  return Number(row.n);
}

async function follows(inst: TestInstance, target: string, delivery: "daily" | "immediate" | "weekly"): Promise<void> {
  const { agent, csrf } = await signInAdmin(inst);
  await agent.post("/varsler/folg").type("form").send({ _csrf: csrf, kind: "service-area", target, neste: "/varsler" }).expect(303);
  const kinds = ["new-project", "phase", "benefits", "imitated", "seeking-partners", "collaboration", "idea"];
  await agent.post("/varsler/innstillinger").type("form").send({ _csrf: csrf, delivery, digestHour: "7", digestWeekday: "2", kinds }).expect(303);
}

describe.each(drivers)("notification e-mail on %s", (driver) => {
  let smtp: TestSmtp;
  let inst: TestInstance;

  beforeAll(async () => {
    smtp = await startSmtp();
    inst = await startTestInstance({ driver, env: { SMTP_URL: smtp.url, MAIL_FROM: "innovasjon@fredrikstad.test" } });
  });
  afterAll(async () => {
    await inst?.close();
    await smtp?.close();
  });

  it("sends one daily digest at the person's hour in Oslo, grouped, with one-click unsubscribe headers and no tracking, and never a second for the day", async () => {
    await follows(inst, "helse-omsorg", "daily");
    const peer = await peerMunicipality(inst);
    await receiveRemote(inst, peer, "fallsensor", { title: "Fallsensorer for eldre", serviceAreas: ["helse-omsorg"] });
    await inst.ctx.events.settled();
    expect(await inst.notificationDigests.runOnce(sixOslo)).toBe(0);
    expect(await inst.notificationDigests.runOnce(sevenOslo)).toBe(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail.to).toEqual([inst.admin!.email]);
    expect(mail.headers["list-unsubscribe"]).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/varsler\/avmeld\?t=[^>]+>$/);
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const text = textOf(mail.raw);
    expect(text).toContain("## Tjenesteområde: Helse og omsorg\r\n\r\n* Fallsensorer for eldre\r\n  Nytt prosjekt innen helse og omsorg fra Sarpsborg kommune.");
    expect(text).toContain(mail.headers["list-unsubscribe"].slice(1, -1));
    expect(mail.raw).not.toMatch(/<img/i);
    // More news the same day waits for tomorrow's digest.
    await receiveRemote(inst, peer, "trygghet", { title: "Trygghetsalarm", serviceAreas: ["helse-omsorg"] });
    await inst.ctx.events.settled();
    expect(await inst.notificationDigests.runOnce(new Date("2026-12-01T15:00:00Z"))).toBe(0);
    expect(await inst.notificationDigests.runOnce(new Date("2026-12-02T06:01:00Z"))).toBe(1);
    await smtp.waitFor(2);
    expect(textOf(smtp.received[1].raw)).toContain("Trygghetsalarm");
    expect(textOf(smtp.received[1].raw)).not.toContain("Fallsensorer for eldre");
  });

  it("unsubscribes with one click; a tampered link changes nothing, and a used link replayed later changes nothing", async () => {
    const link = smtp.received[0].headers["list-unsubscribe"].slice(1, -1);
    const token = new URL(link).searchParams.get("t")!;
    // Links mailed before the token moved to core/signed-token.ts (HMAC-SHA256 of "unsubscribe:<account>:<generation>") are the same links.
    const id = inst.admin!.id;
    expect(token).toBe(`${id}.0.${createHmac("sha256", inst.ctx.secret).update(`unsubscribe:${id}:0`).digest("base64url")}`);
    // A link checker's GET changes nothing.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Ja, stopp e-posten");
    const delivery = async () => rowsOf<{ delivery: string }>(await inst.ctx.db.execute(sql`select delivery from notification_prefs where account_id = ${inst.admin!.id}`))[0].delivery;
    expect(await delivery()).toBe("daily");
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    const other = token.replace(/^[a-z0-9]+/, "zzzzzzzzzzzz");
    for (const bad of [tampered, other, "", "x.1.y"]) {
      const r = await fetch(`${inst.url}/varsler/avmeld?t=${encodeURIComponent(bad)}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
      expect(r.status).toBe(400);
    }
    expect(await delivery()).toBe("daily");
    // The mail client's one-click POST (RFC 8058): no cookie, no CSRF token.
    const done = await fetch(link, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Du får ikke lenger e-post om varsler");
    expect(await delivery()).toBe("none");
    // They turn e-mail on again; the old link replayed does not turn it off.
    await follows(inst, "kultur", "daily");
    const replay = await fetch(link, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(replay.status).toBe(410);
    expect(await replay.text()).toContain("allerede brukt");
    expect(await delivery()).toBe("daily");
  });

  it("keeps a remote project's title out of the headers: a title with CR LF and a Bcc line sends to the staff member only", async () => {
    const before = smtp.received.length;
    await follows(inst, "kultur", "immediate");
    const peer = await peerMunicipality(inst, "hvaler", "Hvaler kommune\r\nBcc: angriper@example.com", "3110");
    await receiveRemote(inst, peer, "injeksjon", { title: "Sjøbading\r\nBcc: angriper@example.com\r\nSubject: hei", serviceAreas: ["kultur"] });
    await inst.ctx.events.settled();
    expect(await inst.notificationDigests.runOnce(new Date("2026-12-03T10:00:00Z"))).toBe(1);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.to).toEqual([inst.admin!.email]);
    expect(mail.headers.bcc).toBeUndefined();
    expect(mail.headers.subject).not.toContain("hei");
    const head = mail.raw.slice(0, mail.raw.indexOf("\r\n\r\n"));
    expect(head).not.toMatch(/^Bcc:/im);
    expect(head.match(/^Subject:/gim)).toHaveLength(1);
    // The title is kept, on one line, as text in the body.
    const [row] = (await notificationsSeen(inst)).filter((n) => n.link.startsWith("/prosjekter/fra/") && n.title.startsWith("Sjøbading"));
    expect(row.title).toBe("Sjøbading Bcc: angriper@example.com Subject: hei");
  });

  it("turns a flood of 500 remote updates into one digest for a daily reader, and one mail per quarter hour for one who wants it at once", async () => {
    const db = inst.ctx.db;
    await follows(inst, "teknisk-miljo", "daily");
    const peer = await peerMunicipality(inst, "flom", "Flomkommune", "3112");
    const base = Date.parse("2026-12-03T09:00:00Z");
    // 100 projects, each received five times with a changing phase: 500 deliveries.
    const phases = ["forstaelse", "ide", "test", "skalering", "drift"] as const;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 100; i++) {
        await receiveRemote(inst, peer, `flom-${i}`, { title: `Overvann som ressurs ${i}`, serviceAreas: ["teknisk-miljo"], phase: phases[round] }, new Date(base + round * 60_000 + i));
      }
    }
    await inst.ctx.events.settled();
    expect(await scalar(inst, sql`select count(*)::int as n from domain_events where name = 'remote.project.upserted' and payload->'project'->>'title' like 'Overvann som ressurs%'`)).toBe(500);
    const before = smtp.received.length;
    expect(await inst.notificationDigests.runOnce(new Date("2026-12-04T06:30:00Z"))).toBe(1);
    expect(await inst.notificationDigests.runOnce(new Date("2026-12-04T06:31:00Z"))).toBe(0);
    const [digest] = (await smtp.waitFor(before + 1)).slice(before);
    expect(textOf(digest.raw)).toContain("… og 80 til. Se alle på varselsiden.");
    expect(smtp.received.length).toBe(before + 1);

    // At once, coalesced: the first mail now, the rest no sooner than 15 minutes later, in one mail.
    await follows(inst, "plan-bygg", "immediate");
    for (let i = 0; i < 30; i++) await receiveRemote(inst, peer, `plan-${i}`, { title: `Digital byggesak ${i}`, serviceAreas: ["plan-bygg"] });
    await inst.ctx.events.settled();
    const t0 = new Date("2026-12-04T12:00:00Z");
    expect(await inst.notificationDigests.runOnce(t0)).toBe(1);
    for (let i = 30; i < 60; i++) await receiveRemote(inst, peer, `plan-${i}`, { title: `Digital byggesak ${i}`, serviceAreas: ["plan-bygg"] });
    await inst.ctx.events.settled();
    expect(await inst.notificationDigests.runOnce(new Date(t0.getTime() + 5 * 60_000))).toBe(0);
    expect(await inst.notificationDigests.runOnce(new Date(t0.getTime() + 16 * 60_000))).toBe(1);
    // Everything has gone out: each person's mark stands at their newest notification.
    expect(await scalar(inst, sql`
      select count(*)::int as n from notification_recipients r join notification_prefs p on p.account_id = r.account_id where r.notification_id > p.mailed_through`)).toBe(0);
    void db;
  });
});

describe("notification e-mail across a restart and an SMTP server that is down (PGlite on disk)", () => {
  it("queues a digest exactly once across a restart, and delivers it when the server comes up", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kominn-notify-"));
    const port = await freePort();
    const smtpPort = await freePort();
    const env = { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: "innovasjon@fredrikstad.test" };
    let inst = await startTestInstance({ dataDir: dir, port, env });
    try {
      await follows(inst, "helse-omsorg", "daily");
      const peer = await peerMunicipality(inst);
      await receiveRemote(inst, peer, "dispenser", { title: "Medisindispenser", serviceAreas: ["helse-omsorg"] });
      await inst.ctx.events.settled();
      expect(await inst.notificationDigests.runOnce(sevenOslo)).toBe(1);
      await inst.close();
      inst = await startTestInstance({ dataDir: dir, port, env, setup: false });
      // The restarted instance finds the day's digest built: no second one.
      expect(await inst.notificationDigests.runOnce(new Date(sevenOslo.getTime() + 60_000))).toBe(0);
      expect(await scalar(inst, sql`select count(*)::int as n from mail_outbox where sent_at is null`)).toBe(1);
      const smtp = await startSmtp({ port: smtpPort });
      try {
        const [mail] = await smtp.waitFor(1, 60_000);
        expect(textOf(mail.raw)).toContain("Medisindispenser");
        await inst.ctx.events.settled();
        expect(await scalar(inst, sql`select count(*)::int as n from mail_outbox where sent_at is not null`)).toBe(1);
        expect(smtp.received.length).toBe(1);
      } finally {
        await smtp.close();
      }
    } finally {
      await inst.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
void freshPostgresDatabase;
