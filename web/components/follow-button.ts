import { html, type Html } from "../../core/html.ts";
import { csrfField } from "./form-fields.ts";
import { nt } from "../views/notifications-texts.ts";

/** What a follow button needs: what to follow, whether the person does already, and where to come back to. */
export interface FollowButtonProps {
  readonly csrf: string;
  readonly kind: "service-area" | "project" | "municipality" | "search";
  readonly target: string;
  /** The follow's id when the person follows it already: the button then stops following. */
  readonly subscriptionId?: string;
  /** The page to come back to (a local path). */
  readonly back: string;
  /** "Følg prosjektet" rather than "Følg". */
  readonly label?: string;
  readonly followingLabel?: string;
  /** Names the thing for screen readers when the button stands in a list. */
  readonly name?: string;
  /** A small button, for lists; otherwise as large as a page's other actions. */
  readonly compact?: boolean;
}

/** A form with one button: follow, or stop following. Works without JavaScript. */
export function followButton(p: FollowButtonProps): Html {
  const hidden = p.name ? html`<span class="visually-hidden"> ${p.name}</span>` : "";
  const size = p.compact ? " button-small" : "";
  if (p.subscriptionId) {
    return html`<form method="post" action="/varsler/slutt/${p.subscriptionId}" class="follow-form inline-form">${csrfField(p.csrf)}
<input type="hidden" name="neste" value="${p.back}">
${p.followingLabel === "" ? "" : html`<span class="follow-state">${p.followingLabel ?? nt.followed}</span>`}
<button type="submit" class="button${size} button-secondary">${nt.unfollow}${hidden}</button></form>`;
  }
  return html`<form method="post" action="/varsler/folg" class="follow-form inline-form">${csrfField(p.csrf)}
<input type="hidden" name="kind" value="${p.kind}"><input type="hidden" name="target" value="${p.target}">
<input type="hidden" name="neste" value="${p.back}">
<button type="submit" class="button${size} button-secondary">${p.label ?? nt.follow}${hidden}</button></form>`;
}
