import type { SignedIn } from "../core/staff-account.ts";
import { may } from "../core/rules.ts";
import { html, type Html } from "../core/html.ts";
import { t } from "./texts.ts";
import { ti } from "./texts-ideas.ts";
import { pt } from "./page-texts.ts";
import { nt } from "./views/notifications-texts.ts";

export type NavItem = "projects" | "search" | "overview" | "about" | "mine" | "new" | "collaboration" | "admin" | "login" | "municipalities" | "notifications" | "ideas";

export interface LayoutProps {
  readonly title: string;
  readonly body: Html;
  readonly account?: SignedIn;
  readonly description?: string;
  /** CSRF token for the sign-out form; without it the header links to the sign-out page. */
  readonly csrf?: string;
  /** The municipality's name beside the product name. */
  readonly siteName?: string;
  /** The municipality's handle: "Om kommunen" links straight to its profile. */
  readonly siteHandle?: string;
  /** Marks the current section in the navigation. */
  readonly current?: NavItem;
  /**
   * Load the small script (/static/site.js): it moves focus to an error summary,
   * and enhances the project form (warning before leaving unsaved changes, live progress, "add row").
   */
  readonly focusErrors?: boolean;
  /** The national (KS) instance publishes no projects of its own. */
  readonly aggregator?: boolean;
  /** Extra elements for <head> (canonical link, …). */
  readonly head?: Html;
  /** Unread notifications of the signed-in staff member: a link with the count in the header. */
  readonly unreadNotifications?: number;
}

export const feedPath = "/prosjekter.atom";

function navLink(href: string, label: string, item: NavItem, current?: NavItem): Html {
  return html`<li><a href="${href}"${item === current ? html` aria-current="page"` : ""}>${label}</a></li>`;
}

function signOut(csrf?: string): Html {
  if (!csrf) return html`<li><a href="/logg-ut">${t.nav.signOut}</a></li>`;
  return html`<li><form method="post" action="/logg-ut" class="inline-form">
<input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="link-button">${t.nav.signOut}</button>
</form></li>`;
}

/** Staff see their notifications from every page, with the unread count (web/views/notifications-texts.ts). */
function notificationsLink(unread: number, current?: NavItem): Html {
  return html`<a class="header-notifications" href="/varsler"${current === "notifications" ? html` aria-current="page"` : ""}>${nt.nav}${unread > 0
    ? html` <span class="count-badge">${unread > 99 ? "99+" : unread}<span class="visually-hidden"> ${nt.unreadSuffix}</span></span>`
    : ""}</a>`;
}

function navigation(props: LayoutProps): Html {
  const { account, current, csrf } = props;
  const about = props.siteHandle ? `/kommune/${props.siteHandle}` : "/kommune";
  // The national (KS) instance: its overview, the municipalities, national search and its own profile.
  const sections = props.aggregator
    ? html`${navLink("/", t.nav.overview, "overview", current)}
${navLink("/kommuner", pt.nav.municipalities, "municipalities", current)}
${navLink("/sok", t.nav.search, "search", current)}
${navLink(about, pt.nav.aboutUs, "about", current)}`
    : html`${navLink("/prosjekter", t.nav.projects, "projects", current)}
${navLink("/sok", t.nav.search, "search", current)}
${navLink("/oversikt", t.nav.overview, "overview", current)}
${navLink("/ideer", ti.ideas.title, "ideas", current)}
${navLink(about, t.nav.about, "about", current)}`;
  return html`<nav aria-label="${t.nav.label}"><ul class="nav">
${sections}
${account
  ? html`${props.aggregator ? "" : html`${navLink("/admin/prosjekter", t.nav.mine, "mine", current)}
${navLink("/admin/prosjekter/ny", t.nav.newProject, "new", current)}
${navLink("/admin/samarbeid", t.nav.collaboration, "collaboration", current)}`}
${may(account.role, "profile.write") ? navLink("/admin/kommune", t.nav.admin, "admin", current) : ""}
${signOut(csrf)}`
  : navLink("/logg-inn", t.nav.signIn, "login", current)}
</ul></nav>`;
}

/** The page shell every view renders into: language, skip link, header with navigation, main, footer. */
export function layout(props: LayoutProps): Html {
  const { title, body, description, account, siteName, head } = props;
  return html`<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${siteName ?? t.productName}</title>
${description ? html`<meta name="description" content="${description}">` : ""}
<link rel="stylesheet" href="/static/site.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
${props.focusErrors ? html`<script src="/static/site.js" defer></script>` : ""}
<link rel="alternate" type="application/atom+xml" title="${t.nav.feed}" href="${feedPath}">
${head ?? ""}
</head>
<body>
<a class="skip" href="#innhold">${t.nav.skip}</a>
<header class="site-header"><div class="wrap header-inner">
<a href="/" class="brand"><span class="brand-product">${t.productName}</span>${siteName ? html` <span class="brand-site">${siteName}</span>` : ""}</a>
${account ? notificationsLink(props.unreadNotifications ?? 0, props.current) : ""}
${account
  ? html`<details class="menu"><summary>${t.nav.menu}</summary>
${navigation(props)}
<p class="signed-in">${t.nav.signedInAs} ${account.name}</p>
</details>`
  : navigation(props)}
</div></header>
<main id="innhold" class="wrap" tabindex="-1">${body}</main>
<footer class="site-footer"><div class="wrap">
<p>${t.footer.about}</p>
<ul class="footer-links"><li><a href="${feedPath}">${t.nav.feed}</a></li><li><a href="/api/v1/openapi.json">${t.nav.api}</a></li></ul>
</div></footer>
</body>
</html>`;
}
