import type { Db } from "../db/client.ts";
import type { Project } from "../core/project.ts";
import type { Config } from "../core/config.ts";
import type { EventJournal } from "../db/journal.ts";
import type { Logger } from "../core/logger.ts";
import type { LoginLimits } from "./http/rate-limit.ts";
import type { ProjectService } from "../services/projects.ts";
import type { ImitationService } from "../services/imitations.ts";
import type { CollaborationService } from "../services/collaboration.ts";
import type { ProfileService } from "../services/profile.ts";
import type { FederationSettingsService } from "../services/federation-settings.ts";
import type { OverviewService } from "../services/overview.ts";
import type { MediaService } from "../services/media.ts";
import type { NotificationService } from "../services/notifications.ts";
import type { SubscriptionService } from "../services/subscriptions.ts";
import type { SecretBox } from "./secret-box.ts";

/** Everything a request handler may use; built once per instance by `server/instance.ts`. */
export interface AppContext {
  config: Config;
  db: Db;
  events: EventJournal;
  logger: Logger;
  projects: ProjectService;
  imitations: ImitationService;
  collaboration: CollaborationService;
  profile: ProfileService;
  federationSettings: FederationSettingsService;
  /** Overview figures and participants, recomputed whenever the content version moves. */
  overview: OverviewService;
  /** Pictures, documents and video links on projects; the actor's icon and header (services/media.ts). */
  media: MediaService;
  /** Notifications of what moved in what staff follow, their preferences and unsubscribe links. */
  notifications: NotificationService;
  /** What staff follow (with federation's parts once the instance has started). */
  subscriptions: SubscriptionService;
  /** Finds a project by its URL, fetching and caching it from another instance when we do not hold it (federation's, given at composition). */
  readonly resolveRemoteProject: (url: string) => Promise<Project | undefined>;
  /** Seals secrets kept in the database (server/secret-box.ts). */
  secrets: SecretBox;
  /** Key for CSRF tokens; generated on first start and kept in the database. */
  secret: string;
  /** Password sign-in limits (server/http/rate-limit.ts). */
  loginLimits: LoginLimits;
}
