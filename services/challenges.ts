// Idea competitions: staff open a challenge (problem, who may take part,
// period, criteria, prizes), ideas are submitted to it (services/ideas.ts),
// a jury of staff scores them against the criteria on the challenge's scale,
// and the winners are announced.
import type { Db } from "../db/client.ts";
import type { EventJournal } from "../db/journal.ts";
import { announceWinners, closeChallengeNow, getChallenge, getIdea, insertChallenge, juryOf, saveScores, scoresOf, setJury } from "../db/ideas.ts";
import type { ChallengeRow } from "../db/schema-ideas.ts";
import { challengeIsOpen, type ChallengeInput, type IdeaInput } from "../core/ideas.ts";
import { ValidationError } from "./projects.ts";
import { IdeaForbiddenError, type IdeaActor } from "./ideas.ts";
import { may } from "../core/rules.ts";
import { getRemoteChallenge, upsertRemoteChallenge, type RemoteChallengeValues } from "../db/remote-challenges.ts";
import { newId } from "../db/ids.ts";

/** Each idea's mean score per criterion over the jurors who scored it, and the sum of those means. */
export interface IdeaResult {
  ideaId: string;
  perCriterion: (number | null)[];
  total: number;
  jurors: number;
}

export class ChallengeService {
  readonly #db: Db;
  readonly #events: EventJournal;

  constructor(db: Db, events: EventJournal) {
    this.#db = db;
    this.#events = events;
  }

  async create(input: ChallengeInput, jury: readonly string[], actor: IdeaActor): Promise<ChallengeRow> {
    if (!may(actor.role, "project.write")) throw new IdeaForbiddenError();
    return this.#events.transaction(async (tx) => {
      const row = await insertChallenge(tx, {
        title: input.title,
        problem: input.problem,
        eligibility: input.eligibility,
        opensAt: new Date(`${input.opensAt}T00:00:00Z`),
        closesAt: new Date(`${input.closesAt}T00:00:00Z`),
        criteria: input.criteria,
        prizes: input.prizes,
        scaleMax: input.scaleMax,
        openToOthers: input.openToOthers,
        createdBy: actor.name,
      });
      await setJury(tx, row.id, [...new Set([actor.accountId, ...jury])]);
      // Open to other municipalities: federation sends it to our followers.
      if (row.openToOthers) await this.#events.append(tx, "challenge.opened", { challengeId: row.id });
      return row;
    });
  }

  /** A juror scores one idea of the challenge: one whole number per criterion, 1 to the challenge's scale. */
  async score(challengeId: string, ideaId: string, scores: readonly number[], actor: IdeaActor): Promise<void> {
    const challenge = await getChallenge(this.#db, challengeId);
    if (!challenge) throw new ValidationError([{ field: "challenge", message: "finnes ikke" }]);
    if (!(await juryOf(this.#db, challengeId)).includes(actor.accountId)) throw new IdeaForbiddenError();
    const idea = await getIdea(this.#db, ideaId);
    if (!idea || idea.challengeId !== challengeId || idea.moderation !== "approved") throw new ValidationError([{ field: "idea", message: "hører ikke til konkurransen" }]);
    if (challenge.winnersAnnouncedAt) throw new ValidationError([{ field: "score", message: "vinnerne er alt kåret" }]);
    if (scores.length !== challenge.criteria.length) throw new ValidationError([{ field: "score", message: "gi poeng for hvert kriterium" }]);
    const bad = scores.findIndex((s) => !Number.isInteger(s) || s < 1 || s > challenge.scaleMax);
    if (bad >= 0) throw new ValidationError([{ field: `score.${bad}`, message: `må være et helt tall fra 1 til ${challenge.scaleMax}` }]);
    await this.#events.transaction((tx) => saveScores(tx, challengeId, ideaId, actor.accountId, scores));
  }

  async results(challenge: ChallengeRow): Promise<IdeaResult[]> {
    const rows = await scoresOf(this.#db, challenge.id);
    const byIdea = new Map<string, typeof rows>();
    for (const r of rows) byIdea.set(r.ideaId, [...(byIdea.get(r.ideaId) ?? []), r]);
    const out: IdeaResult[] = [];
    for (const [ideaId, list] of byIdea) {
      const perCriterion = challenge.criteria.map((_, i) => {
        const s = list.filter((r) => r.criterion === i).map((r) => r.score);
        return s.length ? Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 100) / 100 : null;
      });
      out.push({ ideaId, perCriterion, total: Math.round(perCriterion.reduce<number>((a, b) => a + (b ?? 0), 0) * 100) / 100, jurors: new Set(list.map((r) => r.accountId)).size });
    }
    return out.sort((a, b) => b.total - a.total);
  }

  async announce(challengeId: string, ideaIds: readonly string[], note: string, actor: IdeaActor): Promise<void> {
    const challenge = await getChallenge(this.#db, challengeId);
    if (!challenge) throw new ValidationError([{ field: "challenge", message: "finnes ikke" }]);
    if (!(await juryOf(this.#db, challengeId)).includes(actor.accountId)) throw new IdeaForbiddenError();
    if (ideaIds.length === 0) throw new ValidationError([{ field: "winners", message: "velg minst én vinner" }]);
    for (const id of ideaIds) {
      const idea = await getIdea(this.#db, id);
      if (!idea || idea.challengeId !== challengeId || idea.moderation !== "approved") throw new ValidationError([{ field: "winners", message: "hører ikke til konkurransen" }]);
    }
    await this.#events.transaction((tx) => announceWinners(tx, challengeId, ideaIds, note));
  }

  /** Staff end a challenge's period now; followers of one open to others hear of it. */
  async close(challengeId: string, actor: IdeaActor): Promise<ChallengeRow> {
    if (!may(actor.role, "project.write")) throw new IdeaForbiddenError();
    const challenge = await getChallenge(this.#db, challengeId);
    if (!challenge) throw new ValidationError([{ field: "challenge", message: "finnes ikke" }]);
    if (!challengeIsOpen(challenge)) throw new ValidationError([{ field: "challenge", message: "konkurransen er alt stengt" }]);
    return this.#events.transaction(async (tx) => {
      const row = (await closeChallengeNow(tx, challengeId, new Date()))!;
      if (row.openToOthers) await this.#events.append(tx, "challenge.updated", { challengeId: row.id });
      return row;
    });
  }

  /** A followed municipality's challenge as it arrived (federation/inbox/challenge-received.ts). */
  async receiveRemote(values: RemoteChallengeValues): Promise<void> {
    // No event: nothing here listens for another municipality's challenge.
    await upsertRemoteChallenge(this.#db, values);
  }

  /**
   * Our staff send an idea to another municipality's challenge. Nothing of
   * it is kept here; the event carries it to federation, which sends it with
   * our municipality (never the person) as its author.
   */
  async sendIdea(remoteChallengeId: string, input: Pick<IdeaInput, "title" | "problem" | "proposal" | "serviceArea">, actor: IdeaActor): Promise<void> {
    if (!may(actor.role, "project.write")) throw new IdeaForbiddenError();
    const challenge = await getRemoteChallenge(this.#db, remoteChallengeId);
    if (!challenge) throw new ValidationError([{ field: "challenge", message: "konkurransen finnes ikke" }]);
    if (!challengeIsOpen(challenge)) throw new ValidationError([{ field: "challenge", message: "konkurransen er stengt for nye forslag" }]);
    await this.#events.transaction(async (tx) => {
      await this.#events.append(tx, "idea.sent", {
        sentId: newId(),
        challengeUrl: challenge.url,
        ownerActorUrl: challenge.actorUrl,
        title: input.title,
        problem: input.problem,
        proposal: input.proposal,
        serviceArea: input.serviceArea,
      });
    });
  }
}
