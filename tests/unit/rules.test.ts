import { describe, expect, it } from "vitest";
import { may, slugify } from "../../core/rules.ts";
import { RateLimiter, refundAll, takeAll } from "../../server/http/rate-limit.ts";
import { renderMarkdown } from "../../core/markdown.ts";
import { html, trusted } from "../../core/html.ts";

describe("slugs", () => {
  it("makes readable ASCII slugs from Norwegian titles", () => {
    expect(slugify("Fallsensorer for eldre på Østsiden")).toBe("fallsensorer-for-eldre-pa-ostsiden");
    expect(slugify("Blågrønne tak – overvann som ressurs!")).toBe("blagronne-tak-overvann-som-ressurs");
    expect(slugify("???")).toBe("prosjekt");
  });
});

describe("roles", () => {
  it("lets editors write projects but not manage staff or the profile", () => {
    expect(may("editor", "project.write")).toBe(true);
    expect(may("editor", "staff.manage")).toBe(false);
    expect(may("editor", "profile.write")).toBe(false);
    expect(may("admin", "staff.manage")).toBe(true);
  });
});

describe("rate limiter", () => {
  it("blocks after the limit and lets the key in again when the window has passed", () => {
    let now = 0;
    const limiter = new RateLimiter({ max: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) limiter.hit("a");
    expect(limiter.retryAfter("a")).toBe(60);
    expect(limiter.retryAfter("b")).toBe(0);
    now = 60_001;
    expect(limiter.retryAfter("a")).toBe(0);
  });

  it("reserves an attempt under every limit or under none", () => {
    const now = 0;
    const strict = new RateLimiter({ max: 2, windowMs: 60_000, now: () => now });
    const loose = new RateLimiter({ max: 100, windowMs: 60_000, now: () => now });
    const both = [[strict, "a"], [loose, "a"]] as const;
    expect([takeAll(both), takeAll(both), takeAll(both)]).toEqual([0, 0, 60]);
    // The refused third attempt was not counted by the loose limit either.
    for (let i = 0; i < 98; i++) loose.hit("a");
    expect(loose.retryAfter("a")).toBe(60);
    refundAll(both);
    expect(strict.retryAfter("a")).toBe(0);
    expect(loose.retryAfter("a")).toBe(0);
  });

  it("slows rather than blocks with thenOneEveryMs: one attempt per interval past the limit", () => {
    let now = 0;
    const limiter = new RateLimiter({ max: 3, windowMs: 15 * 60_000, thenOneEveryMs: 30_000, now: () => now });
    for (let i = 0; i < 3; i++) expect(takeAll([[limiter, "k"]])).toBe(0);
    expect(takeAll([[limiter, "k"]])).toBe(30);
    now = 30_000;
    expect(takeAll([[limiter, "k"]])).toBe(0);
    expect(takeAll([[limiter, "k"]])).toBe(30);
  });
});

describe("html and Markdown", () => {
  it("escapes interpolated text but keeps trusted HTML", () => {
    const evil = '<img src=x onerror="alert(1)">';
    expect(html`<p>${evil}</p>`.value).toBe("<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>");
    expect(html`<div>${trusted("<b>ok</b>")}</div>`.value).toBe("<div><b>ok</b></div>");
  });

  it("renders Markdown and strips scripts, event handlers and javascript: links", () => {
    const out = renderMarkdown('# Tittel\n\n**fet** <script>x()</script>\n\n[a](javascript:alert(1)) <svg onload="x()"></svg> <iframe src="https://x"></iframe>');
    expect(out).toContain("<h2>Tittel</h2>");
    expect(out).toContain("<strong>fet</strong>");
    expect(out).not.toMatch(/script|onload|javascript:|iframe|svg/);
  });
});
