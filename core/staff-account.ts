import type { Role } from "./rules.ts";

/** A staff account as the administrator's pages show it: never its password hash or sessions. */
export interface StaffAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly disabledAt: Date | null;
  readonly lastLoginAt: Date | null;
  /** Has a password, so it can sign in without the identity provider. */
  readonly hasPassword: boolean;
  /** Has signed in through the municipality's identity provider. */
  readonly viaProvider: boolean;
}

/** Who is signed in, as every page's header needs it. */
export type SignedIn = Pick<StaffAccount, "id" | "name" | "role">;
