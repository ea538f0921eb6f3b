// Helpers for the idea tests: a visitor without an account (with its own
// address), a signed-in staff member, waiting for mail.
import request from "supertest";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { csrfFrom, type Agent } from "../http/pages-support.ts";

let nextAddress = 10;

/** A browser without an account, from an address of its own (X-Forwarded-For through the loopback proxy). */
export async function visitor(inst: TestInstance, ip = `203.0.113.${nextAddress++}`): Promise<{ agent: Agent; csrf: string; ip: string; post(path: string, form: Record<string, unknown>): request.Test }> {
  const agent = request.agent(inst.url);
  const page = await agent.get("/ideer/ny").set("X-Forwarded-For", ip).expect(200);
  const csrf = csrfFrom(page.text);
  return { agent, csrf, ip, post: (path, form) => agent.post(path).set("X-Forwarded-For", ip).type("form").send({ _csrf: csrf, ...form }) };
}

export const anIdea = {
  title: "Badevakt på stranda om sommeren",
  problem: "Barn bader i sjøen uten tilsyn i fellesferien, når svømmehallen er stengt.",
  proposal: "Kommunen kan ha **badevakter** på de mest brukte strendene i juli.",
  serviceArea: "kultur",
};

export async function countIdeas(inst: TestInstance): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await inst.ctx.db.execute(sql`select count(*)::int as n from ideas`));
  return Number(row.n);
}

export function ideaIdFrom(location: string | undefined): string {
  const m = /\/ideer\/([a-z0-9]+)/.exec(location ?? "");
  if (!m) throw new Error(`no idea in ${location}`);
  return m[1];
}
