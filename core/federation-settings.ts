/** Federation choices an administrator makes. */
export interface FederationSettings {
  /** Incoming follows wait for an administrator when true; otherwise they are accepted at once. Peers see it on our actor. */
  approveFollowers: boolean;
  /** How many of a followed municipality's projects are fetched when a follow is accepted. */
  backfillLimit: number;
}

export const defaultFederationSettings: FederationSettings = { approveFollowers: false, backfillLimit: 200 };

/** The most projects a follow may backfill. */
export const maxBackfillLimit = 1000;
