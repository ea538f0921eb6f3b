import type { SignedIn } from "../../core/staff-account.ts";

/** What the page shell needs on every page: who is signed in, the sign-out token, the site's name. */
export interface Chrome {
  readonly account?: SignedIn;
  readonly csrf?: string;
  readonly siteName?: string;
  /** The municipality's handle, for the link to its profile. */
  readonly siteHandle?: string;
  /** The national (KS) instance publishes no projects of its own: no "Nytt prosjekt". */
  readonly aggregator?: boolean;
  /** Unread notifications of the signed-in staff member (server/routes/notifications.ts), shown in the header. */
  readonly unreadNotifications?: number;
}
