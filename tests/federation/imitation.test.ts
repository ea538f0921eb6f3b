import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "@fedify/fedify";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { actorKeyPairs } from "../../federation/keys.ts";
import { api, eventually, fastTuning, follow, publish, startMunicipality } from "./helpers.ts";
import { inboxSettled } from "./signed-http.ts";

async function postSigned(inbox: string, activity: object, signer: TestInstance) {
  const [rsa] = await actorKeyPairs(signer.ctx.db);
  const request = await signRequest(
    new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body: JSON.stringify(activity) }),
    rsa.privateKey,
    new URL(`${signer.municipality!.actorUrl}#main-key`),
    { spec: "draft-cavage-http-signatures-12" },
  );
  const response = await fetch(request);
  await inboxSettled(inbox);
  return response.status;
}

const urlsOf = (nodes: { url: string }[]) => nodes.map((n) => n.url);

// Fredrikstad (A) publishes; Sarpsborg (B) imitates it; Hvaler (C) imitates
// B's copy. Nobody follows anybody except KS, which follows all three, so the
// originals learn of their imitations only from the imitation delivery itself.
describe.each(drivers)("imitation across instances (%s)", (driver) => {
  let a: TestInstance;
  let b: TestInstance;
  let c: TestInstance;
  let ks: TestInstance;
  let original: any;
  let copyB: any;
  let copyC: any;

  beforeAll(async () => {
    [a, b, c, ks] = await Promise.all([
      startMunicipality("fredrikstad", { driver }),
      startMunicipality("sarpsborg", { driver }),
      startMunicipality("hvaler", { driver }),
      startTestInstance({
        driver,
        federation: fastTuning,
        env: { KOMINN_ROLE: "aggregator" },
        setup: { name: "KS", handle: "ks", kommunenummer: null, fylke: null, adminEmail: "admin@ks.test" },
      }),
    ]);
    await Promise.all([follow(ks, a), follow(ks, b), follow(ks, c)]);
    original = await publish(a, {
      title: "Digitalt nattilsyn", phase: "drift", serviceAreas: ["helse-omsorg"],
      realisedBenefits: [{ kind: "tid", description: "Færre forstyrrede netter" }],
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close(), ks?.close()]);
  });

  it("lets B imitate A's project by its URL; A learns of it when B publishes", async () => {
    const draft = await api(b, "POST", "/api/v1/imitations", { original: original.url });
    expect(draft.status).toBe(201);
    expect(draft.json).toMatchObject({ imitationOf: original.url, title: "Digitalt nattilsyn", published: false, realisedBenefits: [] });
    const published = await api(b, "PATCH", `/api/v1/projects/${draft.json.id}`, {
      adaptation: "Vi prøver det i to bofellesskap først.", published: true, phase: "test",
    });
    expect(published.status).toBe(200);
    copyB = published.json;

    const onA = await eventually(async () => {
      const p = (await api(a, "GET", `/api/v1/projects/${original.id}`)).json;
      return p.imitationCount === 1 && p;
    });
    expect(onA.imitatedBy).toEqual([
      expect.objectContaining({ id: copyB.url, phase: "test", municipality: expect.objectContaining({ name: "Sarpsborg kommune", kommunenummer: "3105", fylke: "Østfold" }) }),
    ]);
  });

  it("follows the chain A → B → C on all three instances and on the aggregator", async () => {
    const draft = await api(c, "POST", "/api/v1/imitations", { original: copyB.url });
    expect(draft.status).toBe(201);
    copyC = (await api(c, "PATCH", `/api/v1/projects/${draft.json.id}`, { adaptation: "Tilpasset en øykommune.", published: true })).json;

    const lineageOn = (inst: TestInstance, id: string) => api(inst, "GET", `/api/v1/projects/${id}/lineage`).then((r) => r.json);
    const onA = await eventually(async () => {
      const l = await lineageOn(a, original.id);
      return l.descendants.length === 2 && l;
    });
    expect(onA.descendants.map((n: any) => [n.url, n.depth, n.municipalityName])).toEqual([
      [copyB.url, 1, "Sarpsborg kommune"],
      [copyC.url, 2, "Hvaler kommune"],
    ]);
    const onB = await eventually(async () => {
      const l = await lineageOn(b, copyB.id);
      return l.descendants.length === 1 && l;
    });
    expect(urlsOf(onB.ancestors)).toEqual([original.url]);
    expect(urlsOf(onB.descendants)).toEqual([copyC.url]);
    const onC = await lineageOn(c, copyC.id);
    expect(urlsOf(onC.ancestors)).toEqual([original.url, copyB.url]);
    expect(onC.ancestors.map((n: any) => n.title)).toEqual(["Digitalt nattilsyn", "Digitalt nattilsyn"]);

    // The aggregator follows everyone and holds the whole tree.
    const onKs = await eventually(async () => {
      const all = (await api(ks, "GET", "/api/v1/projects?perPage=100")).json.items;
      return all.length === 3 && all;
    });
    const byUrl = new Map(onKs.map((p: any) => [p.url, p]));
    expect((byUrl.get(original.url) as any).imitationCount).toBe(1);
    expect((byUrl.get(copyB.url) as any).imitationCount).toBe(1);
    expect((byUrl.get(copyC.url) as any).imitationOf).toBe(copyB.url);
    const ksCopyC = byUrl.get(copyC.url) as any;
    expect(urlsOf((await lineageOn(ks, ksCopyC.id)).ancestors)).toEqual([original.url, copyB.url]);
  });

  it("shows what an adopter reports back on the original's page", async () => {
    await api(b, "PATCH", `/api/v1/projects/${copyB.id}`, { realisedBenefits: [{ kind: "kvalitet", description: "Beboerne sover bedre" }] });
    await eventually(async () => (await (await fetch(`${a.url}/prosjekter/${original.slug}`)).text()).includes("Beboerne sover bedre"));
  });

  it("refuses forged claims and loops, storing nothing", async () => {
    const inboxA = `${a.url}/inbox`;
    const before = (await api(a, "GET", `/api/v1/projects/${original.id}/lineage`)).json;
    // C signs a Create for B's copy: C does not own it.
    expect(await postSigned(inboxA, { "@context": "https://www.w3.org/ns/activitystreams", id: `${c.municipality!.actorUrl}#forged-1`, type: "Create", actor: c.municipality!.actorUrl, object: copyB.url }, c)).toBe(202);
    // C names an original A has never had.
    const stray = await publish(c, { title: "Løsrevet" });
    await c.ctx.db.execute(`update projects set imitation_of = '${a.url}/prosjekter/finnes-ikke' where id = '${stray.id}'` as never);
    expect(await postSigned(inboxA, { "@context": "https://www.w3.org/ns/activitystreams", id: `${c.municipality!.actorUrl}#forged-2`, type: "Create", actor: c.municipality!.actorUrl, object: stray.url }, c)).toBe(202);
    // A loop: B claims its copy descends from C's copy (which descends from B's).
    await b.ctx.db.execute(`update projects set imitation_of = '${copyC.url}' where id = '${copyB.id}'` as never);
    expect(await postSigned(inboxA, { "@context": "https://www.w3.org/ns/activitystreams", id: `${b.municipality!.actorUrl}#loop-1`, type: "Update", actor: b.municipality!.actorUrl, object: copyB.url }, b)).toBe(202);
    await b.ctx.db.execute(`update projects set imitation_of = '${original.url}' where id = '${copyB.id}'` as never);
    // Unsigned: 401.
    const unsigned = await fetch(inboxA, { method: "POST", headers: { "content-type": "application/activity+json" }, body: JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", id: `${c.municipality!.actorUrl}#x`, type: "Create", actor: c.municipality!.actorUrl, object: copyC.url }) });
    expect(unsigned.status).toBe(401);

    await a.ctx.events.settled();
    const after = (await api(a, "GET", `/api/v1/projects/${original.id}/lineage`)).json;
    expect(after).toEqual(before);
    // A replayed activity changes nothing either.
    const replay = { "@context": "https://www.w3.org/ns/activitystreams", id: `${c.municipality!.actorUrl}#forged-1`, type: "Create", actor: c.municipality!.actorUrl, object: copyC.url };
    expect(await postSigned(inboxA, replay, c)).toBe(202);
    expect((await api(a, "GET", `/api/v1/projects/${original.id}/lineage`)).json).toEqual(before);
  });

  it("removes a deleted copy from the original's lineage everywhere", async () => {
    expect((await api(c, "DELETE", `/api/v1/projects/${copyC.id}`)).status).toBe(204);
    await eventually(async () => (await api(a, "GET", `/api/v1/projects/${original.id}/lineage`)).json.descendants.length === 1);
    await eventually(async () => (await api(b, "GET", `/api/v1/projects/${copyB.id}`)).json.imitationCount === 0);
    await eventually(async () => !(await api(ks, "GET", "/api/v1/projects?perPage=100")).json.items.some((p: any) => p.url === copyC.url));
    expect((await api(ks, "GET", `/api/v1/projects?perPage=100`)).json.items.find((p: any) => p.url === copyB.url).imitationCount).toBe(0);
  });
});
