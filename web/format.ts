const dateFormat = new Intl.DateTimeFormat("nb-NO", { dateStyle: "long", timeZone: "Europe/Oslo" });
const dateTimeFormat = new Intl.DateTimeFormat("nb-NO", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Oslo" });

export function formatDate(date: Date | string): string {
  return dateFormat.format(typeof date === "string" ? new Date(`${date}T12:00:00Z`) : date);
}

export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

/** The machine-readable value of a <time> element. */
export function isoDate(date: Date): string {
  return date.toISOString();
}

/** Links that came from elsewhere (peers, profiles) are only followed when they are http(s). */
export function safeHttpUrl(url: string | null | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
