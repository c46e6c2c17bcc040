// Who a verified caller is and what its role may do (contract v1.1, "Who may
// call"): a reader reads, a writer does everything. Rules only, no I/O.

export type Role = 'reader' | 'writer';

export const ROLES: readonly Role[] = ['reader', 'writer'];

/** What an operation does to the store: each operation table entry will say which. */
export type Access = 'read' | 'write';

/**
 * How the caller proved who it is; `local`: it did not, it runs on this
 * machine with the operator's own access to the data folder (the command
 * line, the drop folder), which a password would not protect anyway.
 */
export type ProvenBy = 'password' | 'username-token' | 'bearer-token' | 'local';

export interface Caller {
  /** The user name, or a token's `sub`: what the history records as the actor. */
  readonly name: string;
  readonly role: Role;
  readonly provenBy: ProvenBy;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether `role` may do `access`: a reader may only read, a writer may do both. */
export function roleAllows(role: Role, access: Access): boolean {
  return access === 'read' || role === 'writer';
}
