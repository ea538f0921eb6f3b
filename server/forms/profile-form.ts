import type { Municipality } from "../../db/schema.ts";
import { profileSchema, setupSchema, type ProfileInput, type SetupInput } from "../../core/municipality.ts";
import { slugify } from "../../core/rules.ts";
import { one, orNull, parseForm, type FormBody, type FormResult } from "./issues.ts";
import { t } from "../../web/texts.ts";
import type { ProfileFormValues, SetupFormValues } from "../../web/form-values.ts";


const maxAreaRows = 40;

export function profileValuesFromBody(body: FormBody = {}): ProfileFormValues {
  const areas: { slug: string; label: string }[] = [];
  for (let i = 0; i < maxAreaRows; i++) {
    const label = body[`strategicAreas.${i}.label`];
    const slug = body[`strategicAreas.${i}.slug`];
    if (label === undefined && slug === undefined) break;
    areas.push({ label: one(body, `strategicAreas.${i}.label`), slug: one(body, `strategicAreas.${i}.slug`) });
  }
  return {
    name: one(body, "name"),
    kommunenummer: one(body, "kommunenummer"),
    fylke: one(body, "fylke"),
    region: one(body, "region"),
    website: one(body, "website"),
    logoUrl: one(body, "logoUrl"),
    description: one(body, "description"),
    strategicAreas: areas,
  };
}

export function profileValuesFromMunicipality(m: Municipality): ProfileFormValues {
  return {
    name: m.name,
    kommunenummer: m.kommunenummer ?? "",
    fylke: m.fylke ?? "",
    region: m.region ?? "",
    website: m.website ?? "",
    logoUrl: m.logoUrl ?? "",
    description: m.description,
    strategicAreas: m.strategicAreas.map((a) => ({ ...a })),
  };
}

/** Blank area rows are dropped; a missing short name is made from the label. */
export function parseProfileForm(values: ProfileFormValues): FormResult<ProfileInput> {
  const kept = values.strategicAreas.map((_, i) => i).filter((i) => values.strategicAreas[i].label.trim() || values.strategicAreas[i].slug.trim());
  const areas = kept.map((i) => {
    const a = values.strategicAreas[i];
    return { label: a.label, slug: a.slug.trim() || (a.label.trim() ? slugify(a.label, 60) : "") };
  });
  const result = parseForm(
    profileSchema,
    {
      name: values.name,
      kommunenummer: orNull(values.kommunenummer),
      fylke: orNull(values.fylke),
      region: orNull(values.region),
      website: orNull(values.website),
      logoUrl: orNull(values.logoUrl),
      description: values.description,
      strategicAreas: areas,
    },
    (path) => (path[0] === "strategicAreas" && typeof path[1] === "number" ? ["strategicAreas", kept[path[1]] ?? path[1], ...path.slice(2)] : path),
  );
  if (!result.ok) return result;
  const seen = new Map<string, number>();
  for (const [n, area] of (result.data.strategicAreas ?? []).entries()) {
    if (seen.has(area.slug)) return { ok: false, errors: { [`strategicAreas.${kept[n]}.slug`]: t.form.duplicate } };
    seen.set(area.slug, n);
  }
  return result;
}

export function setupValuesFromBody(body: FormBody = {}): SetupFormValues {
  return {
    name: one(body, "name"),
    kommunenummer: one(body, "kommunenummer"),
    fylke: one(body, "fylke"),
    handle: one(body, "handle"),
    adminName: one(body, "adminName"),
    adminEmail: one(body, "adminEmail"),
  };
}

export function parseSetupForm(body: FormBody, options: { kommunenummerRequired: boolean }): FormResult<SetupInput> {
  const values = setupValuesFromBody(body);
  const password = one(body, "adminPassword");
  const result = parseForm(setupSchema, {
    name: values.name,
    kommunenummer: orNull(values.kommunenummer),
    fylke: orNull(values.fylke),
    handle: values.handle,
    adminEmail: values.adminEmail.trim(),
    adminName: values.adminName.trim() || undefined,
    adminPassword: password,
  });
  // Rules the schema leaves to the setup service, checked here too so every error shows at once.
  const extra: Record<string, string> = {};
  if (options.kommunenummerRequired && !values.kommunenummer.trim()) extra.kommunenummer = t.form.required;
  if (!values.adminName.trim()) extra.adminName = t.form.required;
  if (password !== one(body, "adminPasswordRepeat")) extra.adminPasswordRepeat = t.setup.mismatch;
  const errors = { ...extra, ...(result.ok ? {} : result.errors) };
  if (Object.keys(errors).length === 0 && result.ok) return result;
  // In the order the form shows its fields, so the summary reads top to bottom.
  const order = ["name", "kommunenummer", "fylke", "handle", "adminName", "adminEmail", "adminPassword", "adminPasswordRepeat"];
  const rank = (f: string) => (order.indexOf(f) + 1 || order.length + 1);
  return { ok: false, errors: Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b))) };
}
