import { html, type Html } from "../../core/html.ts";
import { mt } from "../media-texts.ts";

/** One attachment as pages show it. */
export interface MediaItemView {
  readonly id: string;
  readonly kind: "image" | "document" | "link";
  /** `/media/<hash>.<ext>` for a stored file; the target of a link. */
  readonly url: string;
  /** Alt text of an image; title of a document or link. */
  readonly name: string;
  readonly width?: number | null;
  readonly height?: number | null;
  readonly byteSize?: number | null;
}

function size(bytes: number | null | undefined): string {
  if (!bytes) return "";
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace(".", ",")} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/**
 * A project's pictures (the first large, the rest in a grid, each with its
 * alt text), then its PDF reports and video links. Nothing when it has none.
 */
export function projectMedia(items: readonly MediaItemView[]): Html {
  const images = items.filter((i) => i.kind === "image");
  const others = items.filter((i) => i.kind !== "image");
  if (items.length === 0) return html``;
  return html`<section class="project-media" aria-labelledby="media-tittel">
<h2 id="media-tittel" class="visually-hidden">${mt.pictures}</h2>
${images.length > 0
  ? html`<div class="media-gallery">${images.map(
      (img, n) => html`<figure${n === 0 ? html` class="media-lead"` : ""}><a href="${img.url}"><img src="${img.url}" alt="${img.name}"${img.width ? html` width="${img.width}"` : ""}${img.height ? html` height="${img.height}"` : ""}${n === 0 ? "" : html` loading="lazy"`}></a></figure>`,
    )}</div>`
  : ""}
${others.length > 0
  ? html`<h3>${mt.documents}</h3><ul class="media-documents">${others.map(
      (d) => html`<li><a href="${d.url}"${d.kind === "link" ? html` rel="noopener noreferrer external"` : ""}>${d.name}</a> <span class="hint">(${d.kind === "document" ? mt.pdf(size(d.byteSize)) : mt.video})</span></li>`,
    )}</ul>`
  : ""}
</section>`;
}
