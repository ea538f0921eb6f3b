import { limits, projectCreateSchema, type Project, type ProjectCreate } from "../../core/project.ts";
import { many, one, orNull, parseForm, type FormBody, type FormResult } from "./issues.ts";
import {
  projectMultiFields as multiFields,
  projectRowFields as rowFields,
  projectTextFields as textFields,
  type FormRow as Row,
  type ProjectFormValues,
  type ProjectRowList as RowList,
} from "../../web/form-values.ts";

export type { ProjectFormValues };

/** Rows beyond this index are ignored; the form never shows that many. */
const maxRowIndex = limits.listItems + 20;

function readRows(body: FormBody, list: RowList): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < maxRowIndex; i++) {
    const row: Row = {};
    let present = false;
    for (const f of rowFields[list]) {
      const key = `${list}.${i}.${f}`;
      if (body[key] !== undefined) present = true;
      row[f] = one(body, key);
    }
    if (!present) break;
    rows.push(row);
  }
  return rows;
}

export function projectValuesFromBody(body: FormBody = {}): ProjectFormValues {
  const values = {} as ProjectFormValues;
  for (const f of textFields) values[f] = one(body, f);
  for (const f of multiFields) values[f] = many(body, f);
  for (const list of Object.keys(rowFields) as RowList[]) values[list] = readRows(body, list);
  values.seekingPartners = one(body, "seekingPartners") === "true";
  return values;
}

export function projectValuesFromProject(p?: Project): ProjectFormValues {
  if (!p) return projectValuesFromBody({});
  const values = {} as ProjectFormValues;
  for (const f of textFields) values[f] = (p[f] as string | null) ?? "";
  for (const f of multiFields) values[f] = [...p[f]];
  values.plannedBenefits = p.plannedBenefits.map((b) => ({ ...b }));
  values.realisedBenefits = p.realisedBenefits.map((b) => ({ ...b }));
  values.partners = p.partners.map((x) => ({ ...x }));
  values.contacts = p.contacts.map((c) => ({ name: c.name, role: c.role ?? "", email: c.email ?? "" }));
  values.seekingPartners = p.seekingPartners;
  return values;
}

const isBlank = (row: Row) => Object.values(row).every((v) => v.trim() === "");

/**
 * The form's values → the domain's project input. Blank rows are dropped; error
 * paths point back at the row as it was numbered in the form.
 */
export function parseProjectForm(values: ProjectFormValues): FormResult<ProjectCreate> {
  const kept: Partial<Record<RowList, number[]>> = {};
  const input: Record<string, unknown> = {};
  for (const f of textFields) input[f] = values[f];
  for (const f of ["n3Stage", "scale", "startDate", "endDate"] as const) input[f] = orNull(values[f]);
  for (const f of multiFields) input[f] = values[f];
  for (const list of Object.keys(rowFields) as RowList[]) {
    const indexes = values[list].map((_, i) => i).filter((i) => !isBlank(values[list][i]));
    kept[list] = indexes;
    input[list] = indexes.map((i) => values[list][i]);
  }
  input.seekingPartners = values.seekingPartners;
  return parseForm(projectCreateSchema, input, (path) => {
    const [list, index, ...rest] = path;
    // A bad checkbox value belongs to its whole group.
    if ((multiFields as readonly PropertyKey[]).includes(list)) return [list];
    const original = kept[list as RowList];
    return original && typeof index === "number" ? [list, original[index] ?? index, ...rest] : path;
  });
}
