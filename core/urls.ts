// Every public URL the instance mints, in one place. Project and actor URLs
// are both the HTML page and the ActivityPub id (content negotiation).

export const paths = {
  project: (slug: string) => `/prosjekter/${slug}`,
  projects: "/prosjekter",
  /** A cached copy of another municipality's project, shown here. */
  remoteProject: (id: string) => `/prosjekter/fra/${id}`,
  actor: (handle: string) => `/kommune/${handle}`,
  /** An idea challenge of ours (its page, and for one open to others its ActivityPub Page). */
  challenge: (id: string) => `/konkurranser/${id}`,
  /** An idea our staff sent to another municipality's challenge (the Note's id). */
  sentIdea: (id: string) => `/ideer/sendt/${id}`,
  /** An uploaded picture or document, by its content-hashed file name. */
  media: (fileName: string) => `/media/${fileName}`,
  /** Sign-in through the municipality's identity provider: start, and the redirect URI to register there. */
  oidcStart: "/logg-inn/oidc",
  oidcCallback: "/logg-inn/oidc/callback",
  oidcSignOut: "/logg-inn/oidc/logg-ut",
} as const;

/** Where a project is read here: its own page, or the cached copy of another municipality's. */
export function projectPath(project: { local: boolean; slug: string; id: string }): string {
  return project.local ? paths.project(project.slug) : paths.remoteProject(project.id);
}

export function actorUrl(origin: string, handle: string): string {
  return `${origin}${paths.actor(handle)}`;
}

export function projectUrl(origin: string, slug: string): string {
  return `${origin}${paths.project(slug)}`;
}
