// Ideas (improvement proposals) from staff and the public, followed up in the
// open: submitted, moderated, answered with a public reason, linked to the
// project they became, and marked put to use when that project is. Each
// answer e-mails the submitter (queueMail) in the transaction that records it;
// staff who sent it with their account get a notification instead.
import type { Db } from "../db/client.ts";
import type { EventHandler, EventJournal } from "../db/journal.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";
import { getProject, getProjectByUrl } from "../db/projects.ts";
import { getSetting, setSetting } from "../db/settings.ts";
import {
  erasePersonalData,
  getChallenge,
  getIdea,
  getIdeaByActivity,
  ideasHoldingPersonalDataBefore,
  ideasOfProject,
  insertIdea,
  lockIdea,
  mergeIdea,
  recordStateChange,
  setModeration,
} from "../db/ideas.ts";
import type { IdeaRow } from "../db/schema-ideas.ts";
import type { Municipality } from "../db/schema.ts";
import { challengeIsOpen, ideaStateLabels, type IdeaInput, type IdeaState } from "../core/ideas.ts";
import type { Project } from "../core/project.ts";
import { may, type Role } from "../core/rules.ts";
import { sameToken, signToken } from "../core/signed-token.ts";
import { queueMail } from "./mail.ts";
import { ValidationError, type ProjectService } from "./projects.ts";

/** Someone without the role tried to answer, moderate or run a competition. */
export class IdeaForbiddenError extends Error {
  constructor() {
    super("only staff who may write projects answer ideas");
  }
}

/** The idea is a project already (made by a press a moment earlier, or linked). */
export class IdeaAlreadyProjectError extends Error {
  constructor() {
    super("the idea is a project already");
  }
}

/** A staff member acting on ideas: their role decides what they may do. */
export interface IdeaActor {
  accountId: string;
  name: string;
  role: Role;
}

export type Submitter =
  | { kind: "staff"; accountId: string; name: string; email: string }
  | { kind: "public" }
  | { kind: "remote"; municipality: string; activityId: string };

const retentionKey = "ideas.retentionDays";
export const defaultRetentionDays = 365;
const day = 24 * 60 * 60 * 1000;

function checkRole(actor: IdeaActor): void {
  if (!may(actor.role, "project.write")) throw new IdeaForbiddenError();
}

export class IdeaService {
  readonly #db: Db;
  readonly #events: EventJournal;
  readonly #projects: ProjectService;
  readonly #origin: string;
  readonly #secret: string | undefined;

  /** With `secret` (the instance's key), each e-mail carries a link with which the submitter erases their own data. */
  constructor(db: Db, events: EventJournal, projects: ProjectService, options: { origin: string; secret?: string }) {
    this.#db = db;
    this.#events = events;
    this.#projects = projects;
    this.#origin = options.origin;
    this.#secret = options.secret;
  }

  ideaUrl(id: string): string {
    return `${this.#origin}/ideer/${id}`;
  }

  #eraseToken(id: string): string | undefined {
    return this.#secret ? signToken(this.#secret, "idea-erase", id) : undefined;
  }

  /** The link in every e-mail about an idea with which its submitter erases their name and address. */
  eraseUrl(id: string): string | undefined {
    const token = this.#eraseToken(id);
    return token ? `${this.ideaUrl(id)}/slett-meg?n=${token}` : undefined;
  }

  /** Whether `token` is the one the submitter of idea `id` was sent. */
  validEraseToken(id: string, token: string): boolean {
    const expected = this.#eraseToken(id);
    return expected !== undefined && sameToken(expected, token);
  }

  /** The submitter's own request, by the link in their e-mail: false (nothing erased) for a wrong token. */
  async eraseByToken(id: string, token: string): Promise<boolean> {
    if (!this.validEraseToken(id, token)) return false;
    await this.#events.transaction((tx) => erasePersonalData(tx, [id]));
    return true;
  }

  /**
   * Stores an idea. From the public it waits for moderation; from staff it is
   * shown at once. With a challenge, the challenge must be open (and open to
   * other municipalities for a remote submission). A submitter who gave an
   * address gets a receipt.
   */
  async submit(input: IdeaInput, submitter: Submitter, challengeId?: string): Promise<IdeaRow> {
    if (challengeId) {
      const challenge = await getChallenge(this.#db, challengeId);
      if (!challenge) throw new ValidationError([{ field: "challenge", message: "konkurransen finnes ikke" }]);
      if (!challengeIsOpen(challenge)) throw new ValidationError([{ field: "challenge", message: "konkurransen er stengt for nye forslag" }]);
      if (submitter.kind === "remote" && !challenge.openToOthers) {
        throw new ValidationError([{ field: "challenge", message: "konkurransen er ikke åpen for andre kommuner" }]);
      }
    }
    const staff = submitter.kind === "staff" ? submitter : undefined;
    return this.#events.transaction(async (tx) => {
      // A remote idea delivered again (a peer's retry after the inbox forgot the activity's id) is the same idea.
      const earlier = submitter.kind === "remote" ? await getIdeaByActivity(tx, submitter.activityId) : undefined;
      if (earlier) return earlier;
      const idea = await insertIdea(tx, {
        title: input.title,
        problem: input.problem,
        proposal: input.proposal,
        serviceArea: input.serviceArea,
        origin: submitter.kind,
        moderation: submitter.kind === "public" ? "pending" : "approved",
        challengeId: challengeId ?? null,
        submitterName: staff?.name ?? (submitter.kind === "public" ? input.submitterName : null),
        submitterEmail: staff?.email ?? (submitter.kind === "public" ? input.submitterEmail : null),
        showName: submitter.kind === "remote" ? false : input.showName,
        submitterAccountId: staff?.accountId ?? null,
        fromMunicipality: submitter.kind === "remote" ? submitter.municipality : null,
        activityId: submitter.kind === "remote" ? submitter.activityId : null,
      });
      await this.#mailSubmitter(tx, idea, `idea:${idea.id}:received`, "Takk for idéen din", [
        `Vi har tatt imot idéen «${idea.title}».`,
        submitter.kind === "public" ? "Den blir vist på nettsiden når en ansatt har sett gjennom den." : "Den er publisert.",
        "Du får en e-post hver gang den får et nytt svar.",
      ]);
      return idea;
    });
  }

  /** Approve, reject or mark as spam a public submission; rejected and spam lose their personal data at once. */
  async moderate(id: string, decision: "approved" | "rejected" | "spam", actor: IdeaActor): Promise<IdeaRow | undefined> {
    checkRole(actor);
    return this.#events.transaction(async (tx) => {
      const row = await setModeration(tx, id, decision);
      if (row && decision !== "approved") await erasePersonalData(tx, [row.id]);
      return row;
    });
  }

  /**
   * Gives an idea a new state with a public reason. "blitt prosjekt" needs
   * the project (a URL or path this instance knows). The submitter hears of
   * it by e-mail, in the same transaction.
   */
  async changeState(id: string, change: { state: IdeaState; reason: string; projectUrl?: string }, actor: IdeaActor): Promise<IdeaRow> {
    checkRole(actor);
    const idea = await getIdea(this.#db, id);
    if (!idea) throw new ValidationError([{ field: "idea", message: "finnes ikke" }]);
    if (idea.moderation !== "approved") throw new ValidationError([{ field: "state", message: "idéen må godkjennes før den får svar" }]);
    let project: Project | undefined;
    if (change.projectUrl) {
      project = await this.#projectAt(change.projectUrl);
      if (!project) throw new ValidationError([{ field: "projectUrl", message: "fant ikke prosjektet" }]);
    }
    if (change.state === "blitt_prosjekt" && !project) {
      throw new ValidationError([{ field: "projectUrl", message: "oppgi prosjektet idéen er blitt" }]);
    }
    await this.#events.transaction((tx) => this.#answer(tx, idea, change.state, change.reason, project, actor.name));
    return (await getIdea(this.#db, id))!;
  }

  /** Makes a project of an idea: its text carried over, the idea marked "blitt prosjekt" and linked. */
  async makeProject(id: string, actor: IdeaActor): Promise<Project> {
    checkRole(actor);
    const idea = await getIdea(this.#db, id);
    if (!idea || idea.moderation !== "approved") throw new ValidationError([{ field: "idea", message: "finnes ikke" }]);
    // Already a project: refused before any work (a second press racing the first is refused under the lock below).
    if (idea.projectId) throw new IdeaAlreadyProjectError();
    const municipality = (await getLocalMunicipality(this.#db)) as Municipality;
    const summary = idea.problem.length > 900 ? `${idea.problem.slice(0, 897).trimEnd()}…` : idea.problem;
    const project = await this.#projects.create(
      municipality,
      {
        title: idea.title,
        summary,
        phase: "ide",
        description: `## Problemet\n\n${idea.problem}\n\n## Idéen\n\n${idea.proposal}\n\n[Idéen dette prosjektet kom fra](${this.ideaUrl(idea.id)})`,
        floke: idea.problem.slice(0, 2_000),
        ...(idea.serviceArea ? { serviceAreas: [idea.serviceArea] } : {}),
      } as Parameters<ProjectService["create"]>[1],
      { accountId: actor.accountId, name: actor.name },
      {
        // The project, the idea's answer and its mail in one transaction; a second press (or a
        // colleague's at the same time) waits for the lock, finds the project and makes none.
        within: async (tx, project) => {
          const current = await lockIdea(tx, id);
          if (!current || current.projectId) throw new IdeaAlreadyProjectError();
          await this.#answer(tx, current, "blitt_prosjekt", `Idéen er blitt prosjektet «${project.title}».`, project, actor.name);
        },
      },
    );
    return project;
  }

  async merge(id: string, into: string, actor: IdeaActor): Promise<void> {
    checkRole(actor);
    // Only into an idea the public sees: its title and link go on this idea's page and into the submitter's mail.
    const target = id === into ? undefined : await getIdea(this.#db, into);
    if (!target || target.moderation !== "approved" || target.mergedInto) throw new ValidationError([{ field: "into", message: "velg en annen, godkjent idé" }]);
    await this.#events.transaction(async (tx) => {
      const idea = await getIdea(tx, id);
      if (!idea) return;
      await mergeIdea(tx, id, into);
      await this.#mailSubmitter(tx, idea, `idea:${id}:merged`, "Idéen din er slått sammen med en lik idé", [
        `Idéen «${idea.title}» ligner en annen idé, og følges opp sammen med den:`,
        this.ideaUrl(into),
      ]);
    });
  }

  /** Erases the submitter's name and address, on their request (staff act on it) or by retention. */
  async erase(id: string, actor: IdeaActor): Promise<void> {
    checkRole(actor);
    await this.#events.transaction((tx) => erasePersonalData(tx, [id]));
  }

  async retentionDays(): Promise<number> {
    return (await getSetting<number>(this.#db, retentionKey)) ?? defaultRetentionDays;
  }

  async setRetentionDays(days: number, actor: IdeaActor): Promise<void> {
    if (!may(actor.role, "staff.manage")) throw new IdeaForbiddenError();
    if (!Number.isInteger(days) || days < 30 || days > 3_650) throw new ValidationError([{ field: "retentionDays", message: "må være et helt antall dager fra 30 til 3650" }]);
    await setSetting(this.#db, retentionKey, days);
  }

  /** Erases the personal data of ideas received longer ago than the retention period; returns how many. */
  async sweepRetention(now = new Date()): Promise<number> {
    const days = await this.retentionDays();
    const ids = await ideasHoldingPersonalDataBefore(this.#db, new Date(now.getTime() - days * day));
    if (ids.length === 0) return 0;
    return this.#events.transaction((tx) => erasePersonalData(tx, ids));
  }

  /**
   * The "ideas" subscriber: an idea that became a project is put to use when
   * the project reaches Drift or N3 "nyttiggjort"; written (with the mail)
   * in the transaction that acknowledges the event.
   */
  projectHandler(): EventHandler {
    return {
      handle: async (event) => {
        // Our own projects, and another municipality's project an idea here became (linked by its address).
        if (event.name !== "project.updated" && event.name !== "project.published" && event.name !== "remote.project.upserted") return;
        const project = event.payload.project;
        if (project.phase !== "drift" && project.n3Stage !== "nyttiggjort") return;
        const linked = (await ideasOfProject(this.#db, project.id)).filter((i) => i.state === "blitt_prosjekt");
        if (linked.length === 0) return;
        return async (tx) => {
          for (const stale of linked) {
            const idea = await getIdea(tx, stale.id);
            if (!idea || idea.state !== "blitt_prosjekt") continue;
            const why = project.phase === "drift" ? "er i drift" : "er tatt i bruk (N3: nyttiggjort)";
            await this.#answer(tx, idea, "tatt_i_bruk", `Prosjektet «${project.title}» ${why}.`, project, "KOMINN");
          }
        };
      },
    };
  }

  async #projectAt(value: string): Promise<Project | undefined> {
    const url = value.startsWith("/") ? `${this.#origin}${value}` : value;
    const byUrl = await getProjectByUrl(this.#db, url);
    if (byUrl) return byUrl;
    const m = /\/prosjekter\/([^/?#]+)$/.exec(url);
    return m ? getProject(this.#db, m[1]) : undefined;
  }

  async #answer(tx: Db, idea: IdeaRow, state: IdeaState, reason: string, project: Project | undefined, changedBy: string): Promise<void> {
    const change = await recordStateChange(tx, idea, { state, reason, projectId: project?.id ?? null, changedBy });
    await this.#events.append(tx, "idea.answered", { ideaId: idea.id, title: idea.title, state, reason, submitterAccountId: idea.submitterAccountId });
    // Staff who sent it with their account hear of it as a notification (services/notifications.ts), mailed as
    // their own settings say; a mail here as well would tell them twice. Everyone else gets the mail.
    if (idea.submitterAccountId) return;
    await this.#mailSubmitter(tx, idea, `idea:${idea.id}:change:${change.id}`, `Idéen din: ${ideaStateLabels[state].toLowerCase()}`, [
      `Idéen «${idea.title}» har fått ny status: ${ideaStateLabels[state]}.`,
      `Begrunnelse: ${reason}`,
      ...(project ? [`Prosjektet: ${project.url}`] : []),
      `Se hele historikken: ${this.ideaUrl(idea.id)}`,
    ]);
  }

  async #mailSubmitter(tx: Db, idea: IdeaRow, dedupeKey: string, subject: string, lines: string[]): Promise<void> {
    if (!idea.submitterEmail || idea.personalErasedAt) return;
    const name = idea.submitterName?.replace(/[\r\n<>"]/g, "").trim();
    const erase = this.eraseUrl(idea.id);
    await queueMail(tx, {
      to: name ? `${name} <${idea.submitterEmail}>` : idea.submitterEmail,
      subject,
      text: `${name ? `Hei ${name},` : "Hei,"}\n\n${lines.join("\n\n")}\n\n${erase ? `Vil du at vi sletter navnet og e-postadressen din? Åpne denne lenken: ${erase}` : "Vil du at vi sletter navnet og e-postadressen din, svar på denne e-posten."}\n`,
      dedupeKey,
    });
  }
}
