// Pure rules: who may do what, and how names become URLs.

export const roles = ["admin", "editor"] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  admin: "Administrator",
  editor: "Redaktør",
};

export type Action =
  | "project.write"
  | "profile.write"
  | "staff.manage"
  | "federation.manage";

const allowed: Record<Role, readonly Action[]> = {
  admin: ["project.write", "profile.write", "staff.manage", "federation.manage"],
  editor: ["project.write"],
};

export function may(role: Role, action: Action): boolean {
  return allowed[role].includes(action);
}

const transliterations: Record<string, string> = { æ: "ae", ø: "o", å: "a", ä: "a", ö: "o", ü: "u", é: "e" };

/** "Fallsensorer for eldre på Østsiden" → "fallsensorer-for-eldre-pa-ostsiden". */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .toLowerCase()
    .replace(/[æøåäöüé]/g, (c) => transliterations[c] ?? c)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/g, "");
  return slug || "prosjekt";
}

export const handlePattern = /^[a-z0-9][a-z0-9_]{1,29}$/;
export const kommunenummerPattern = /^\d{4}$/;
