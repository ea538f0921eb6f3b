// What each form holds as typed: the field names and the shape of the values
// a form view shows (again, with its errors, when they did not parse).
// Parsing them into domain input lives in server/forms.

export const projectTextFields = [
  "title", "summary", "description", "floke", "behov", "phase", "n3Stage", "scale",
  "lessons", "lessonsFailed", "risk", "cost", "startDate", "endDate", "adaptation",
] as const;
export const projectMultiFields = ["innovationTypes", "serviceAreas", "strategicAreas", "municipalRoles", "funding", "methods"] as const;

/** The project form's lists of rows and the fields of each row. */
export const projectRowFields = {
  plannedBenefits: ["kind", "description"],
  realisedBenefits: ["kind", "description"],
  partners: ["type", "name"],
  contacts: ["name", "role", "email"],
} as const;
export type ProjectRowList = keyof typeof projectRowFields;
export type FormRow = Record<string, string>;

/** The project form's values as typed, kept as they are so an invalid form can be shown again. */
export type ProjectFormValues = Record<(typeof projectTextFields)[number], string> &
  Record<(typeof projectMultiFields)[number], string[]> &
  Record<ProjectRowList, FormRow[]> & { seekingPartners: boolean };

/** The municipality's profile form as typed. */
export interface ProfileFormValues {
  name: string;
  kommunenummer: string;
  fylke: string;
  region: string;
  website: string;
  logoUrl: string;
  description: string;
  strategicAreas: { slug: string; label: string }[];
}

/** The first-run setup form as typed (the passwords are never shown again). */
export type SetupFormValues = Record<"name" | "kommunenummer" | "fylke" | "handle" | "adminName" | "adminEmail", string>;
