import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestInstance } from "../helpers/instance.ts";
import { csrfFrom, signInAdmin, type Agent } from "../http/pages-support.ts";
import { handleOf, startAggregator } from "./aggregator-helpers.ts";
import { api, eventually, startMunicipality } from "./helpers.ts";

describe("the aggregator's administrator follows many municipalities from the federation page", () => {
  let ks: TestInstance;
  let a: TestInstance;
  let b: TestInstance;
  let agent: Agent;
  let csrf: string;

  beforeAll(async () => {
    [ks, a, b] = await Promise.all([startAggregator(), startMunicipality("fredrikstad"), startMunicipality("sarpsborg")]);
    ({ agent, csrf } = await signInAdmin(ks));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([ks?.close(), a?.close(), b?.close()]);
  }, 60_000);

  it("offers a paste field (and a file picker through a small script) on the federation page", async () => {
    const page = (await agent.get("/admin/foderasjon").expect(200)).text;
    expect(page).toContain('<h2 id="folg-mange">Følg mange kommuner</h2>');
    expect(page).toContain('<textarea id="f-targets" name="targets"');
    expect(page).toContain('<script src="/static/bulk-follow.js" defer></script>');
    const script = await fetch(`${ks.url}/static/bulk-follow.js`);
    expect(script.status).toBe(200);
  });

  it("refuses an empty list, naming the field, and follows nobody", async () => {
    const r = await agent.post("/admin/foderasjon/folg-mange").type("form").send({ _csrf: csrf, targets: " \n \n" });
    expect(r.status).toBe(400);
    expect(r.text).toContain("Kommunenes adresser");
    expect(r.text).toContain("kan ikke være tom");
    const noCsrf = await agent.post("/admin/foderasjon/folg-mange").type("form").send({ targets: handleOf(a) });
    expect(noCsrf.status).toBe(403);
    expect((await api(ks, "GET", "/api/v1/follows")).json.items).toEqual([]);
  });

  it("follows each good line, reports each bad one and keeps it in the field, from a pasted CSV", async () => {
    const csv = `adresse,navn\n${handleOf(a)},Fredrikstad\n"${b.municipality!.actorUrl}",Sarpsborg\nikke-en-kommune,Ingen\n`;
    const r = await agent.post("/admin/foderasjon/folg-mange").type("form").send({ _csrf: csrfFrom((await agent.get("/admin/foderasjon")).text), targets: csv });
    expect(r.status).toBe(200);
    expect(r.text).toContain("2 forespørsler sendt, 0 fulgte dere allerede, 1 linje med feil.");
    expect(r.text).toMatch(/<td>ikke-en-kommune<\/td><td>Feil: må være @navn@domene/);
    expect(r.text).toMatch(/<textarea id="f-targets"[^>]*>ikke-en-kommune<\/textarea>/);
    await eventually(async () => {
      const items = (await api(ks, "GET", "/api/v1/follows")).json.items;
      return items.length === 2 && items.every((f: any) => f.status === "accepted");
    });
    const again = await agent.post("/admin/foderasjon/folg-mange").type("form").send({ _csrf: csrf, targets: handleOf(a) });
    expect(again.text).toContain("0 forespørsler sendt, 1 fulgte dere allerede, 0 linjer med feil.");
  });

  it("with approval on, follows a municipality back once its follow is approved", async () => {
    const c = await startMunicipality("hvaler");
    try {
      await agent.post("/admin/foderasjon/innstillinger").type("form").send({ _csrf: csrf, approveFollowers: "ja", backfillLimit: "200" }).expect(303);
      const asked = await api(c, "POST", "/api/v1/follows", { target: ks.municipality!.actorUrl });
      expect(asked.status).toBe(201);
      const pending = await eventually(async () => {
        const p = (await agent.get("/admin/foderasjon")).text;
        return p.includes("Venter på godkjenning") && p;
      });
      expect((await api(ks, "GET", "/api/v1/follows")).json.items.map((f: any) => f.actorUrl)).not.toContain(c.municipality!.actorUrl);
      const approve = /action="(\/admin\/foderasjon\/folgere\/[a-z0-9]+\/godkjenn)"/.exec(pending)![1];
      await agent.post(approve).type("form").send({ _csrf: csrfFrom(pending) }).expect(303);
      await eventually(async () => (await api(c, "GET", `/api/v1/follows/${asked.json.id}`)).json.status === "accepted");
      await eventually(async () =>
        (await api(ks, "GET", "/api/v1/follows")).json.items.some((f: any) => f.actorUrl === c.municipality!.actorUrl && f.status === "accepted"),
      );
    } finally {
      await c.close();
    }
  }, 60_000);
});
