// The wire format of a collaboration request: a `Join` naming the project,
// with the message as its content and the contact person as two
// PropertyValue attachments; answered with `Accept` or `Reject` naming the Join.

/** The names of the contact person's PropertyValue attachments. */
export const contactFields = { name: "Kontaktperson", email: "E-post" } as const;

/** Our outgoing requests have fetchable-looking ids under our origin: /samarbeid/{id}. */
export function collaborationRequestUrl(origin: string, requestId: string): URL {
  return new URL(`${origin}/samarbeid/${requestId}`);
}

const requestIdPath = /^\/samarbeid\/([a-z0-9]{6,40})$/;

/** The id of our collaboration request an activity's object names, or undefined when it names something else (a follow). */
export function ourRequestId(origin: string, objectId: URL | null): string | undefined {
  if (!objectId || objectId.origin !== new URL(origin).origin) return undefined;
  return requestIdPath.exec(objectId.pathname)?.[1];
}
