// Helpers for the HTML page tests: read CSRF tokens from forms, sign in like a browser.
import request from "supertest";
import { expect } from "vitest";
import { createAccount } from "../../db/accounts.ts";
import { hashPassword } from "../../services/passwords.ts";
import type { ProjectCreate } from "../../core/project.ts";
import type { TestInstance } from "../helpers/instance.ts";

export type Agent = ReturnType<typeof request.agent>;

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error("no CSRF token on the page");
  return match[1];
}

/** Signs in through the login form; returns the cookie-keeping agent and a CSRF token for its forms. */
export async function signIn(inst: TestInstance, email: string, password: string): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(inst.url);
  const login = await agent.get("/logg-inn").expect(200);
  const signedIn = await agent.post("/logg-inn").type("form").send({ _csrf: csrfFrom(login.text), email, password }).expect(303);
  // Where sign-in lands: "Mine prosjekter" on a municipality, the federation page on KS.
  const landing = await agent.get(signedIn.headers.location ?? "/admin/prosjekter").redirects(2).expect(200);
  return { agent, csrf: csrfFrom(landing.text) };
}

export function signInAdmin(inst: TestInstance) {
  return signIn(inst, inst.admin!.email, inst.adminPassword);
}

export async function addEditor(inst: TestInstance, email = "redaktor@fredrikstad.test", password = "redaktor-passord-1") {
  await createAccount(inst.ctx.db, { email, name: "Rita Redaktør", role: "editor", passwordHash: await hashPassword(password) });
  return { email, password };
}

export function addProject(inst: TestInstance, input: Partial<ProjectCreate> & { title: string }) {
  return inst.ctx.projects.create(
    inst.municipality!,
    { summary: "Et sammendrag", phase: "test", ...input } as ProjectCreate,
    { accountId: inst.admin!.id, name: "Anne Admin" },
  );
}

export function expectNb(html: string): void {
  expect(html).toMatch(/^<!doctype html>\s*<html lang="nb">/);
}
