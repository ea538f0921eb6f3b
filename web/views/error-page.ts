import type { Account } from "../../db/schema.ts";
import { html, type Html } from "../html.ts";
import { layout } from "../layout.ts";

export interface ErrorPageProps {
  readonly status: number;
  readonly message: string;
  readonly fields?: readonly { field: string; message: string }[];
  readonly account?: Account;
}

export function errorPage({ status, message, fields = [], account }: ErrorPageProps): Html {
  return layout({
    title: message,
    account,
    body: html`<h1>${message}</h1>
      <p>Feilkode ${status}.</p>
      ${fields.length > 0 ? html`<ul>${fields.map((f) => html`<li><strong>${f.field}</strong>: ${f.message}</li>`)}</ul>` : ""}
      <p><a href="/">Til forsiden</a></p>`,
  });
}
