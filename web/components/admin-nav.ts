import { html, type Html } from "../../core/html.ts";
import { t } from "../texts.ts";
import { ti } from "../texts-ideas.ts";

export type AdminSection = "profile" | "staff" | "tokens" | "federation" | "login" | "mail";

const sections: { key: AdminSection; href: string; label: string }[] = [
  { key: "profile", href: "/admin/kommune", label: t.admin.profileTitle },
  { key: "staff", href: "/admin/ansatte", label: t.admin.staffTitle },
  { key: "tokens", href: "/admin/nokler", label: t.admin.tokensTitle },
  { key: "federation", href: "/admin/foderasjon", label: t.federation.navLabel },
  { key: "login", href: "/admin/innlogging", label: t.oidc.admin.navLabel },
  { key: "mail", href: "/admin/e-post", label: ti.mail.title },
];

/** The administrator's sub-navigation, shown on every admin page. */
export function adminNav(current: AdminSection): Html {
  return html`<nav class="subnav" aria-label="${t.admin.title}"><ul>${sections.map(
    (s) => html`<li><a href="${s.href}"${s.key === current ? html` aria-current="page"` : ""}>${s.label}</a></li>`,
  )}</ul></nav>`;
}
