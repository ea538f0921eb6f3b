import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

/** Why sign-in through the identity provider stopped: each kind has its own text. */
type OidcProblemKind = keyof typeof t.oidc.problems;

export interface OidcProblemPageProps {
  readonly chrome: Chrome;
  readonly kind: OidcProblemKind;
  /** The failed check in plain words (which claim, what the provider said), for whoever reports the problem. */
  readonly detail?: string;
}

const canRetry: ReadonlySet<OidcProblemKind> = new Set(["noFlow", "state", "cancelled", "unreachable", "tokenRejected"]);

/** Why sign-in through the municipality's identity provider stopped, and what to do next. */
export function oidcProblemPage({ chrome, kind, detail }: OidcProblemPageProps): Html {
  const text = t.oidc.problems[kind];
  return layout({
    ...chrome,
    title: text.title,
    current: "login",
    body: html`<div class="narrow">
<h1>${text.title}</h1>
<p>${text.body}</p>
${detail ? html`<p class="hint">${t.oidc.detail}: ${detail}</p>` : ""}
<ul class="actions-list">
${canRetry.has(kind) ? html`<li><a href="/logg-inn/oidc">${t.oidc.tryAgain}</a></li>` : ""}
<li><a href="/logg-inn">${t.oidc.backToLogin}</a></li>
</ul>
</div>`,
  });
}
