// Pictures, documents and video links on projects, and the actor's icon and
// header. The one way media is written: files are checked (magic bytes
// against the extension, size, pixel count), images re-encoded by sharp
// (resized, rotated upright, every metadata block dropped), then stored under
// a content-hashed name in the media directory.
//
// Crash safety: a file is written (to a temporary name, then renamed) before
// the row that names it is committed, and removed only after its last row is
// gone. A crash in between leaves a file no row names: an orphan, removed by
// the sweep at start and after a project is deleted. So no row ever names a
// missing file.
import { createHash } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Metadata } from "sharp";

/**
 * sharp (libvips, ~10 MB of RSS and ~60 ms) is loaded at the first picture, not at start: an
 * instance or command that processes no picture never needs it.
 */
let sharpLoaded: Promise<typeof import("sharp").default> | undefined;
const loadSharp = () =>
  (sharpLoaded ??= import("sharp").then(({ default: sharp }) => {
    // Every picture is processed once and stored: libvips' operation cache would only hold memory.
    sharp.cache(false);
    return sharp;
  }));
import type { Db } from "../db/client.ts";
import type { EventJournal, EventHandler } from "../db/journal.ts";
import type { Logger } from "../core/logger.ts";
import type { Project } from "../core/project.ts";
import {
  allFileNames,
  clearProfileMedia,
  countProjectMedia,
  deleteMedia,
  fileAudience,
  fileNamesInUse,
  getMedia,
  getProfileMedia,
  holdProject,
  insertMedia,
  listProjectMedia,
  touchProject,
} from "../db/media.ts";
import type { MediaRow, ProfileSlot } from "../db/schema-media.ts";

/** Limits, in one place so forms, errors and docs agree. */
export const mediaLimits = {
  imageBytes: 10 * 1024 * 1024,
  documentBytes: 20 * 1024 * 1024,
  /** About 40 megapixels: a camera's photo passes, a decompression bomb does not. */
  imagePixels: 40_000_000,
  /** Longest side of a stored project picture. */
  imageSide: 1600,
  iconSide: 400,
  header: { width: 1500, height: 500 },
  altText: 1500,
  title: 200,
  perProject: 20,
} as const;

/** A refused upload, naming the form field and saying why (bokmål), with the HTTP status to answer. */
export class MediaError extends Error {
  readonly field: string;
  readonly status: number;
  constructor(field: string, message: string, status = 422) {
    super(message);
    this.field = field;
    this.status = status;
  }
}

export interface Uploaded {
  /** The name the browser gave the file. */
  fileName: string;
  data: Buffer;
  /** True when the upload was cut at the size limit. */
  truncated?: boolean;
}

export interface MediaActor {
  accountId: string | null;
  name: string;
}

type ImageFormat = "jpeg" | "png" | "webp" | "gif";

const imageExtensions: Record<string, ImageFormat> = { jpg: "jpeg", jpeg: "jpeg", png: "png", webp: "webp", gif: "gif" };

/** What the first bytes say the file is. */
export function sniff(data: Buffer): ImageFormat | "pdf" | "svg" | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "jpeg";
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (data.subarray(0, 4).toString("latin1") === "RIFF" && data.subarray(8, 12).toString("latin1") === "WEBP") return "webp";
  const head = data.subarray(0, 6).toString("latin1");
  if (head === "GIF87a" || head === "GIF89a") return "gif";
  if (data.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  const text = data.subarray(0, 1024).toString("utf8").replace(/^\uFEFF/, "").trimStart().toLowerCase();
  if (text.startsWith("<?xml") || text.startsWith("<svg") || text.startsWith("<!doctype svg") || text.includes("<svg")) return "svg";
  return undefined;
}

function extensionOf(fileName: string): string {
  const m = /\.([a-z0-9]{1,8})$/i.exec(fileName.trim());
  return m ? m[1].toLowerCase() : "";
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** The content-hashed file name: the same bytes always get the same name, so it can be cached for ever. */
function hashedName(data: Buffer, ext: string): string {
  return `${createHash("sha256").update(data).digest("hex").slice(0, 40)}.${ext}`;
}

/** File names the media directory may hold: nothing else is ever served or removed. */
export const storedFileName = /^[0-9a-f]{40}\.(jpg|png|pdf)$/;

export const storedTypes: Record<string, string> = { jpg: "image/jpeg", png: "image/png", pdf: "application/pdf" };

interface Processed {
  data: Buffer;
  ext: "jpg" | "png";
  mediaType: string;
  width: number;
  height: number;
}

function checkImageFile(field: string, file: Uploaded): void {
  if (file.data.length === 0) throw new MediaError(field, "velg en fil", 400);
  if (file.truncated || file.data.length > mediaLimits.imageBytes) {
    throw new MediaError(field, `bildet er for stort: høyst ${mib(mediaLimits.imageBytes)}`, 413);
  }
  const found = sniff(file.data);
  if (found === "svg" || extensionOf(file.fileName) === "svg") {
    throw new MediaError(field, "SVG-bilder tas ikke imot (de kan inneholde skript); last opp PNG eller JPEG", 415);
  }
  const claimed = imageExtensions[extensionOf(file.fileName)];
  if (!claimed) throw new MediaError(field, "bildet må være JPEG, PNG, WebP eller GIF (.jpg, .png, .webp, .gif)", 415);
  if (found !== claimed) {
    throw new MediaError(field, `filen heter .${extensionOf(file.fileName)}, men innholdet er ${found ? found.toUpperCase() : "ikke et bilde"}`, 415);
  }
}

/**
 * Decodes with a pixel limit (so a small file that unpacks to gigabytes is
 * refused before it is decoded), turns the picture upright, drops every
 * metadata block (EXIF with GPS positions, XMP, ICC beyond sRGB) and encodes
 * it again: JPEG, or PNG when it has transparency.
 */
async function processImage(
  field: string,
  data: Buffer,
  fit: { width: number; height: number; cover: boolean },
): Promise<Processed> {
  const sharp = await loadSharp();
  const input = () => sharp(data, { limitInputPixels: mediaLimits.imagePixels, failOn: "error", animated: false });
  const tooManyPixels = `bildet har for mange piksler; høyst ${mediaLimits.imagePixels / 1_000_000} megapiksler`;
  const unreadable = (error: unknown) =>
    new MediaError(field, /pixel limit/i.test(String(error)) ? tooManyPixels : "bildet kan ikke leses (skadet eller ufullstendig fil)", 422);
  let meta: Metadata;
  try {
    meta = await input().metadata();
  } catch (error) {
    throw unreadable(error);
  }
  if (!meta.width || !meta.height) throw new MediaError(field, "bildet kan ikke leses (mangler størrelse)", 422);
  if (meta.width * meta.height > mediaLimits.imagePixels) {
    throw new MediaError(field, `bildet har for mange piksler (${meta.width} × ${meta.height}); høyst ${mediaLimits.imagePixels / 1_000_000} megapiksler`, 422);
  }
  const alpha = Boolean(meta.hasAlpha);
  try {
    const pipeline = input()
      .rotate()
      .resize(fit.width, fit.height, fit.cover ? { fit: "cover", position: "attention" } : { fit: "inside", withoutEnlargement: true })
      .toColourspace("srgb");
    const { data: out, info } = alpha
      ? await pipeline.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true })
      : await pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: 82, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    return { data: out, ext: alpha ? "png" : "jpg", mediaType: alpha ? "image/png" : "image/jpeg", width: info.width, height: info.height };
  } catch (error) {
    throw unreadable(error);
  }
}

/** The row of a stored picture, whoever owns it. */
function pictureRow(fileName: string, image: Processed, alt: string) {
  return { kind: "image" as const, fileName, mediaType: image.mediaType, width: image.width, height: image.height, byteSize: image.data.length, name: alt };
}

function checkPdf(field: string, file: Uploaded): void {
  if (file.data.length === 0) throw new MediaError(field, "velg en fil", 400);
  if (file.truncated || file.data.length > mediaLimits.documentBytes) {
    throw new MediaError(field, `dokumentet er for stort: høyst ${mib(mediaLimits.documentBytes)}`, 413);
  }
  if (extensionOf(file.fileName) !== "pdf") throw new MediaError(field, "dokumenter må være PDF (.pdf)", 415);
  if (sniff(file.data) !== "pdf") throw new MediaError(field, "filen heter .pdf, men innholdet er ikke en PDF", 415);
  if (!file.data.subarray(-1024).toString("latin1").includes("%%EOF")) {
    throw new MediaError(field, "PDF-filen er ufullstendig (mangler slutten)", 422);
  }
}

function checkText(field: string, value: string, max: number, required: string | undefined): string {
  const text = value.replace(/\s+/g, " ").trim();
  if (!text && required) throw new MediaError(field, required, 400);
  if (text.length > max) throw new MediaError(field, `høyst ${max} tegn (nå ${text.length})`, 400);
  return text;
}

/** A video link: https only, a real host name, no credentials. */
function checkLinkUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new MediaError(field, "må være en fullstendig adresse som begynner med https://", 400);
  }
  if (url.protocol !== "https:") throw new MediaError(field, "må begynne med https://", 400);
  if (url.username || url.password) throw new MediaError(field, "kan ikke inneholde brukernavn eller passord", 400);
  if (url.href.length > 2_000) throw new MediaError(field, "høyst 2000 tegn", 400);
  return url.href;
}

/** Runs the work given to it one after another, in the order given. */
function serially(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = last.then(work);
    last = run.catch(() => undefined);
    return run;
  };
}

export class MediaService {
  readonly #db: Db;
  readonly #events: EventJournal;
  readonly #logger: Logger;
  readonly dir: string;
  /** Files this process has written whose row is not committed yet: never swept. */
  readonly #inFlight = new Map<string, number>();

  readonly #temporary: boolean;

  constructor(db: Db, events: EventJournal, options: { dir: string; temporary?: boolean; logger: Logger }) {
    this.#db = db;
    this.#events = events;
    this.#logger = options.logger;
    this.dir = options.dir;
    this.#temporary = options.temporary ?? false;
  }

  /** A temporary directory (an in-memory database's) goes with the instance. */
  async close(): Promise<void> {
    if (this.#temporary) await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Pictures are decoded one at a time: a 40-megapixel picture takes about
   * 160 MB while it is decoded, and a small server should not hold several.
   */
  readonly #oneAtATime = serially();

  /**
   * The media directory's bookkeeping, one step at a time: a sweep or release
   * (list files, read which rows name them, remove the rest) never interleaves
   * with an upload marking its file in flight and writing it, nor with its
   * mark being lifted after its row is committed. So a file a sweep finds
   * unnamed by any row is either in flight for the whole sweep or not written
   * yet; it is never removed under a row that commits meanwhile.
   */
  readonly #files = serially();

  /** Creates the directory and removes what a crash left behind. */
  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.sweep();
  }

  /**
   * Removes files no row names (and unfinished temporary files). A file
   * younger than `graceMs` is kept: another process may be about to commit
   * its row.
   */
  sweep(graceMs = 60_000): Promise<number> {
    return this.#files(() => this.#sweep(graceMs));
  }

  async #sweep(graceMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    const used = await allFileNames(this.#db);
    const now = Date.now();
    let removed = 0;
    for (const name of names) {
      const stored = storedFileName.test(name);
      const temporary = /^\.tmp-\d+-(.+)$/.exec(name);
      if (!stored && !temporary) continue;
      if (stored && used.has(name)) continue;
      if (this.#inFlight.has(temporary ? temporary[1] : name)) continue;
      try {
        const info = await stat(join(this.dir, name));
        if (now - info.mtimeMs < graceMs) continue;
        await rm(join(this.dir, name), { force: true });
        removed++;
      } catch {
        // Gone already.
      }
    }
    if (removed > 0) this.#logger.info(`media: removed ${removed} file(s) no row names`);
    return removed;
  }

  /** Writes the file under its hashed name (once: the same bytes make the same name). */
  async #write(name: string, data: Buffer): Promise<void> {
    const path = join(this.dir, name);
    try {
      await stat(path);
      return;
    } catch {
      // Not there yet.
    }
    const temporary = join(this.dir, `.tmp-${process.pid}-${name}`);
    await mkdir(this.dir, { recursive: true });
    await writeFile(temporary, data);
    await rename(temporary, path);
  }

  /** Writes the file, then commits its row; the file is held from the sweep until the row is in. */
  async #store(name: string, data: Buffer, commit: () => Promise<MediaRow>): Promise<MediaRow> {
    const unmark = () => {
      const n = (this.#inFlight.get(name) ?? 1) - 1;
      if (n > 0) this.#inFlight.set(name, n);
      else this.#inFlight.delete(name);
    };
    await this.#files(async () => {
      this.#inFlight.set(name, (this.#inFlight.get(name) ?? 0) + 1);
      try {
        await this.#write(name, data);
      } catch (error) {
        unmark();
        throw error;
      }
    });
    let committed = false;
    try {
      const row = await commit();
      committed = true;
      return row;
    } finally {
      await this.#files(async () => unmark());
      // A refused commit (its project deleted meanwhile) leaves no file behind.
      if (!committed) await this.release([name]);
    }
  }

  /** In an attachment's transaction: its project is held, or gone (404). */
  async #holdProject(tx: Db, project: Project): Promise<void> {
    if (!(await holdProject(tx, project.id))) throw new MediaError("file", "prosjektet finnes ikke lenger", 404);
  }

  /** Removes these files where no row names them any more (after their rows are gone). */
  release(names: (string | null | undefined)[]): Promise<void> {
    const candidates = [...new Set(names.filter((n): n is string => typeof n === "string" && storedFileName.test(n)))];
    return this.#files(async () => {
      const used = await fileNamesInUse(this.#db, candidates);
      for (const name of candidates) {
        if (used.has(name) || this.#inFlight.has(name)) continue;
        await rm(join(this.dir, name), { force: true }).catch((error) => this.#logger.warn(`media: could not remove ${name}`, error));
      }
    });
  }

  /** Who may see a stored file: everyone, staff only (a draft's attachment), or nobody (no row names it). */
  audience(fileName: string): Promise<"public" | "staff" | undefined> {
    return fileAudience(this.#db, fileName);
  }

  list(projectId: string): Promise<MediaRow[]> {
    return listProjectMedia(this.#db, projectId);
  }

  async #checkRoom(project: Project, field = "file"): Promise<void> {
    if ((await countProjectMedia(this.#db, project.id)) >= mediaLimits.perProject) {
      throw new MediaError(field, `prosjektet har allerede ${mediaLimits.perProject} vedlegg; slett et før du legger til flere`, 409);
    }
  }

  /** In the transaction of a change to a project's attachments: a new version, and an Update to followers when it is public. */
  async #changed(tx: Db, project: Project, actor: MediaActor): Promise<void> {
    const updated = await touchProject(tx, project.id, actor);
    if (updated?.published) await this.#events.append(tx, "project.updated", { project: updated });
  }

  /** A picture of the practice; `alt` describes it for those who cannot see it. */
  async addImage(project: Project, actor: MediaActor, input: { file: Uploaded; alt: string }): Promise<MediaRow> {
    checkImageFile("file", input.file);
    const alt = checkText("alt", input.alt, mediaLimits.altText, "skriv en bildetekst som beskriver bildet for dem som ikke ser det");
    await this.#checkRoom(project);
    const side = mediaLimits.imageSide;
    const image = await this.#oneAtATime(() => processImage("file", input.file.data, { width: side, height: side, cover: false }));
    const name = hashedName(image.data, image.ext);
    return this.#store(name, image.data, () =>
      this.#events.transaction(async (tx) => {
        await this.#holdProject(tx, project);
        const row = await insertMedia(tx, { projectId: project.id, ...pictureRow(name, image, alt) });
        await this.#changed(tx, project, actor);
        return row;
      }),
    );
  }

  /** A PDF report. */
  async addDocument(project: Project, actor: MediaActor, input: { file: Uploaded; title: string }): Promise<MediaRow> {
    checkPdf("file", input.file);
    const fallback = input.file.fileName.replace(/\.pdf$/i, "").slice(0, mediaLimits.title);
    const title = checkText("title", input.title || fallback, mediaLimits.title, "gi dokumentet en tittel");
    await this.#checkRoom(project);
    const name = hashedName(input.file.data, "pdf");
    return this.#store(name, input.file.data, () =>
      this.#events.transaction(async (tx) => {
        await this.#holdProject(tx, project);
        const row = await insertMedia(tx, {
          projectId: project.id,
          kind: "document",
          fileName: name,
          mediaType: "application/pdf",
          byteSize: input.file.data.length,
          name: title,
        });
        await this.#changed(tx, project, actor);
        return row;
      }),
    );
  }

  /** A link to a video of the practice (or any https page about it). */
  async addLink(project: Project, actor: MediaActor, input: { url: string; title: string }): Promise<MediaRow> {
    const href = checkLinkUrl("url", input.url);
    const title = checkText("title", input.title, mediaLimits.title, "gi lenken en tittel");
    await this.#checkRoom(project, "url");
    return this.#events.transaction(async (tx) => {
      await this.#holdProject(tx, project);
      const row = await insertMedia(tx, { projectId: project.id, kind: "link", href, name: title, mediaType: "text/html" });
      await this.#changed(tx, project, actor);
      return row;
    });
  }

  /** Removes one attachment of the project, then its file when nothing else uses it. False when it is not the project's. */
  async remove(project: Project, mediaId: string, actor: MediaActor): Promise<boolean> {
    const existing = await getMedia(this.#db, mediaId);
    if (!existing || existing.projectId !== project.id) return false;
    const removed = await this.#events.transaction(async (tx) => {
      const row = await deleteMedia(tx, mediaId);
      if (row) await this.#changed(tx, project, actor);
      return row;
    });
    await this.release([removed?.fileName]);
    return Boolean(removed);
  }

  profilePicture(slot: ProfileSlot): Promise<MediaRow | undefined> {
    return getProfileMedia(this.#db, slot);
  }

  /**
   * The actor's icon (a square, 400 × 400) or header (1500 × 500), replacing
   * the one before; `profile.updated` sends the new actor to followers.
   */
  async setProfilePicture(slot: ProfileSlot, municipalityId: string, input: { file: Uploaded; alt: string }): Promise<MediaRow> {
    const field = slot;
    checkImageFile(field, input.file);
    const alt = checkText(`${slot}Alt`, input.alt, mediaLimits.altText, undefined);
    const box = slot === "icon" ? { width: mediaLimits.iconSide, height: mediaLimits.iconSide } : mediaLimits.header;
    const image = await this.#oneAtATime(() => processImage(field, input.file.data, { ...box, cover: true }));
    const name = hashedName(image.data, image.ext);
    let previous: MediaRow | undefined;
    const row = await this.#store(name, image.data, () =>
      this.#events.transaction(async (tx) => {
        previous = await clearProfileMedia(tx, slot);
        const inserted = await insertMedia(tx, { slot, ...pictureRow(name, image, alt) });
        await this.#events.append(tx, "profile.updated", { municipalityId });
        return inserted;
      }),
    );
    if (previous && previous.fileName !== name) await this.release([previous.fileName]);
    return row;
  }

  async removeProfilePicture(slot: ProfileSlot, municipalityId: string): Promise<boolean> {
    const removed = await this.#events.transaction(async (tx) => {
      const row = await clearProfileMedia(tx, slot);
      if (row) await this.#events.append(tx, "profile.updated", { municipalityId });
      return row;
    });
    await this.release([removed?.fileName]);
    return Boolean(removed);
  }

  /** The journal's subscriber (server/subscribers.ts): a deleted project's rows went with it, so its files go now. */
  handler(): EventHandler {
    return {
      handle: async () => {
        await this.sweep(0);
      },
    };
  }
}

/** Where media lives: MEDIA_DIR, or `media/` beside PGlite's data; an in-memory database gets a temporary directory. */
export function resolveMediaDir(config: { mediaDir: string | undefined; dataDir: string }): { dir: string; temporary: boolean } {
  if (config.mediaDir) return { dir: config.mediaDir, temporary: false };
  if (config.dataDir === "memory://") return { dir: mkdtempSync(join(tmpdir(), "kominn-media-")), temporary: true };
  return { dir: join(config.dataDir, "media"), temporary: false };
}
