import type { Db } from "../db/client.ts";
import { createAccount, getAccountByEmail } from "../db/accounts.ts";
import { getLocalMunicipality, insertMunicipality } from "../db/municipalities.ts";
import type { Account, Municipality } from "../db/schema.ts";
import { exampleStrategicAreas, type InstanceRole, type SetupInput } from "../core/municipality.ts";
import { actorUrl } from "../core/urls.ts";
import { checkKommune } from "../core/regions.ts";
import { hashPassword } from "./passwords.ts";
import { ValidationError } from "./projects.ts";

export class AlreadySetUpError extends Error {
  constructor() {
    super("Instansen er allerede satt opp");
  }
}

/** Creates the municipality profile and its first administrator, together or not at all. */
export async function setupInstance(
  db: Db,
  input: SetupInput,
  options: { origin: string; role: InstanceRole },
): Promise<{ municipality: Municipality; admin: Account }> {
  if (options.role === "municipality" && !input.kommunenummer) {
    throw new ValidationError([{ field: "kommunenummer", message: "må oppgis for en kommune" }]);
  }
  // The county comes from the official register, never from free text.
  const register = checkKommune(input);
  if (register.issues.length > 0) throw new ValidationError(register.issues);
  const passwordHash = await hashPassword(input.adminPassword);
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    if (await getLocalMunicipality(t)) throw new AlreadySetUpError();
    if (await getAccountByEmail(t, input.adminEmail)) {
      throw new ValidationError([{ field: "adminEmail", message: "finnes allerede" }]);
    }
    const municipality = await insertMunicipality(t, {
      local: true,
      actorUrl: actorUrl(options.origin, input.handle),
      handle: input.handle,
      domain: new URL(options.origin).host,
      name: input.name,
      kommunenummer: input.kommunenummer ?? null,
      fylke: register.fylke,
      strategicAreas: options.role === "municipality" ? exampleStrategicAreas : [],
    });
    const admin = await createAccount(t, {
      email: input.adminEmail,
      name: input.adminName ?? input.adminEmail.split("@")[0],
      passwordHash,
      role: "admin",
    });
    return { municipality, admin };
  });
}
