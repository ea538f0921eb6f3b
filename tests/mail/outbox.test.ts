import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers, freshPostgresDatabase, type Driver } from "../helpers/databases.ts";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { until } from "../helpers/until.ts";
import { queueMail, type MailMessage } from "../../services/mail.ts";
import { ValidationError } from "../../services/projects.ts";
import { getMail, listMail } from "../../db/mail-outbox.ts";
import { rowsOf } from "../../db/client.ts";
import { startSmtp, type TestSmtp } from "./smtp-server.ts";

const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  to: "Kari Nordmann <kari@example.no>",
  subject: "Idéen din er under vurdering",
  text: "Hei Kari,\n\nIdéen din om sjøbading er nå under vurdering.",
  html: "<p>Hei Kari,</p><p>Idéen din er nå under vurdering.</p>",
  headers: { "List-Unsubscribe": "<https://example.no/avmeld/abc>" },
  dedupeKey: "idea:1:state:2",
  ...over,
});

async function mailEvents(inst: TestInstance): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await inst.ctx.db.execute(sql`select count(*)::int as n from domain_events where name = 'mail.queued'`));
  return Number(row.n);
}

describe.each(drivers)("mail outbox on %s", (driver) => {
  let smtp: TestSmtp;
  let inst: TestInstance;

  beforeAll(async () => {
    smtp = await startSmtp({ refuse: ["nobody@example.no"] });
    inst = await startTestInstance({ driver, env: { SMTP_URL: smtp.url, MAIL_FROM: "Innovasjon Fredrikstad <innovasjon@fredrikstad.test>" } });
  });
  afterAll(async () => {
    await inst?.close();
    await smtp?.close();
  });

  it("sends a queued message once through the SMTP server, with its headers, and marks it sent", async () => {
    const before = smtp.received.length;
    const { id } = await inst.ctx.events.transaction((tx) => queueMail(tx, message()));
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.to).toEqual(["kari@example.no"]);
    expect(mail.from).toBe("innovasjon@fredrikstad.test");
    expect(mail.headers.subject).toMatch(/vurdering|=\?UTF-8\?/i);
    expect(mail.headers.to).toContain("kari@example.no");
    expect(mail.headers.from).toContain("innovasjon@fredrikstad.test");
    expect(mail.headers["list-unsubscribe"]).toBe("<https://example.no/avmeld/abc>");
    const row = await until(async () => {
      const r = await getMail(inst.ctx.db, id);
      return r?.sentAt ? r : undefined;
    }, "the row to be marked sent");
    expect(mail.headers["message-id"]).toBe(row.messageId);

    // The same action replayed: the same dedupe key stores nothing and sends nothing.
    const again = await inst.ctx.events.transaction((tx) => queueMail(tx, message()));
    expect(again).toEqual({ id, queued: false });
    await inst.ctx.events.settled();
    expect(smtp.received.length).toBe(before + 1);
    expect((await listMail(inst.ctx.db)).filter((m) => m.dedupeKey === "idea:1:state:2")).toHaveLength(1);
  });

  it.each([
    ["a line break in the address", { to: "kari@example.no\r\nBcc: alle@example.no" }, "to"],
    ["a line break in the name", { to: "Kari\nBcc: alle@example.no <kari@example.no>" }, "to"],
    ["a line break in the subject", { subject: "Hei\r\nBcc: alle@example.no" }, "subject"],
    ["a line break in a header value", { headers: { "List-Unsubscribe": "<x>\r\nBcc: alle@example.no" } }, "headers.List-Unsubscribe"],
    ["a colon in a header name", { headers: { "X-A: b\r\nBcc": "c" } }, "headers.X-A: b\r\nBcc"],
    ["a header the sender sets", { headers: { Bcc: "alle@example.no" } }, "headers.Bcc"],
    ["an address that is not one", { to: "kari(at)example" }, "to"],
  ])("refuses %s, and the action's transaction stores nothing", async (_label, over, field) => {
    const rows = (await listMail(inst.ctx.db)).length;
    const events = await mailEvents(inst);
    const error = await inst.ctx.events
      .transaction((tx) => queueMail(tx, message({ ...over, dedupeKey: `bad:${field}:${Math.random()}` })))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toContain(field);
    expect((await listMail(inst.ctx.db)).length).toBe(rows);
    expect(await mailEvents(inst)).toBe(events);
  });

  it("marks a message the server refuses for good as failed, and sends the next one", async () => {
    const before = smtp.received.length;
    const refused = await inst.ctx.events.transaction((tx) => queueMail(tx, message({ to: "nobody@example.no", dedupeKey: "refused" })));
    await inst.ctx.events.transaction((tx) => queueMail(tx, message({ to: "ola@example.no", dedupeKey: "after-refused" })));
    const arrived = (await smtp.waitFor(before + 1)).slice(before);
    expect(arrived.map((m) => m.to)).toEqual([["ola@example.no"]]);
    const row = await until(async () => {
      const r = await getMail(inst.ctx.db, refused.id);
      return r?.failedAt ? r : undefined;
    }, "the refused message to be marked failed");
    expect(row.sentAt).toBeNull();
    expect(row.lastError).toMatch(/550|unavailable/i);
  });
});

describe.each(drivers)("an SMTP server that is down, on %s", (driver) => {
  it("delays the mail without failing the action; once the server is up it arrives exactly once", async () => {
    const port = await freePort();
    const inst = await startTestInstance({ driver, env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
    let smtp: TestSmtp | undefined;
    try {
      const { id } = await inst.ctx.events.transaction((tx) => queueMail(tx, message({ dedupeKey: "down-then-up" })));
      // The action committed; the sender has tried and failed at least twice.
      await until(async () => ((await getMail(inst.ctx.db, id))?.attempts ?? 0) >= 2, "two failed tries");
      const waiting = await getMail(inst.ctx.db, id);
      expect(waiting?.sentAt).toBeNull();
      expect(waiting?.lastError).toMatch(/ECONNREFUSED|connect/i);

      smtp = await startSmtp({ port });
      await smtp.waitFor(1, 30_000);
      await until(async () => (await getMail(inst.ctx.db, id))?.sentAt, "the row to be marked sent");
      await inst.ctx.events.settled();
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].to).toEqual(["kari@example.no"]);
    } finally {
      await inst.close();
      await smtp?.close();
    }
  });
});

describe.each(drivers)("a restart, on %s", (driver: Driver) => {
  it("never sends a message marked sent again, even when the journal replays its event", async () => {
    const smtp = await startSmtp();
    const dataDir = driver === "pglite" ? await mkdtemp(join(tmpdir(), "kominn-mail-")) : undefined;
    const pg = driver === "postgres" ? await freshPostgresDatabase() : undefined;
    const env = { SMTP_URL: smtp.url, ...(pg ? { DATABASE_URL: pg.url } : {}) };
    try {
      const first = await startTestInstance({ dataDir, env });
      await first.ctx.events.transaction((tx) => queueMail(tx, message({ dedupeKey: "restart" })));
      await smtp.waitFor(1);
      await until(async () => (await listMail(first.ctx.db))[0]?.sentAt, "the row to be marked sent");
      await first.ctx.events.settled();
      // As if the process died after sending but before the journal position moved.
      await first.ctx.db.execute(sql`update event_positions set position = 0 where subscriber = 'mail'`);
      await first.close();

      const second = await startTestInstance({ dataDir, env, setup: false });
      try {
        await second.ctx.events.settled();
        const [position] = rowsOf<{ position: number }>(await second.ctx.db.execute(sql`select position from event_positions where subscriber = 'mail'`));
        expect(Number(position.position)).toBeGreaterThan(0);
        expect(smtp.received).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await smtp.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      await pg?.drop();
    }
  });
});

describe.each(drivers)("without SMTP_URL, on %s", (driver) => {
  it("keeps the mail in the database and lists it for the administrator with a note that e-mail is not set up", async () => {
    const { signInAdmin, addEditor, signIn } = await import("../http/pages-support.ts");
    const inst = await startTestInstance({ driver });
    try {
      await inst.ctx.events.transaction((tx) => queueMail(tx, message({ subject: "Takk for idéen <b>din</b>", dedupeKey: "unconfigured" })));
      await inst.ctx.events.settled();
      const [row] = await listMail(inst.ctx.db);
      expect(row.sentAt).toBeNull();
      const admin = await signInAdmin(inst);
      const page = await admin.agent.get("/admin/e-post").expect(200);
      expect(page.text).toContain("E-post er ikke satt opp");
      expect(page.text).toContain("Takk for idéen &lt;b&gt;din&lt;/b&gt;");
      expect(page.text).toContain("Kari Nordmann &lt;kari@example.no&gt;");
      expect(page.text).toContain("1 melding venter");
      // An editor may not read other people's mail.
      const editor = await signIn(inst, ...(Object.values(await addEditor(inst)) as [string, string]));
      await editor.agent.get("/admin/e-post").expect(403);
    } finally {
      await inst.close();
    }
  });
});
