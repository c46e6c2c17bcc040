// The names of files in the drop folder: which names in inbox/ are batch
// files, the name a claimed file has in work/ (which says when, by which host
// and process, and the file's own name), and the timestamps that keep names in
// archive/, error/ and outbox/ unique. Owns naming only; never touches a file.

/** Names a writer may still be busy with, and names that are not batch files. */
export function isCandidate(name: string): boolean {
  return name.toLowerCase().endsWith('.xml') && !name.startsWith('.') && !/\.(tmp|part)$|~$/i.test(name);
}

/** A timestamp for file names: sortable, no characters a file system dislikes (20261124T020004123Z). */
export function fileStamp(at: Date = new Date()): string {
  return at.toISOString().replace(/[-:]/g, '').replace('.', '');
}

/** What a claimed file's name in work/ says. */
export interface Claim {
  /** The claim's name in work/: unique, the same for every instance looking at the folder. */
  readonly claim: string;
  /** The file's own name, as it was dropped into inbox/. */
  readonly name: string;
  /** When it was claimed, as an xs:dateTime in UTC. */
  readonly claimedAt: string;
  readonly host: string;
  readonly pid: number;
}

// The host is matched shortest first: a dropped file's name (which may hold '.123--') is
// anyone's choice, a host name is not.
const CLAIM = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.(.+?)\.(\d+)--(.+)$/;

/** The name in work/ of `name` claimed now by this host and process. */
export function claimName(name: string, host: string, pid: number, at: Date = new Date()): string {
  return `${fileStamp(at)}.${host}.${pid}--${name}`;
}

/** The parts of a claim name; undefined for a name that is none (not written by a drop folder). */
export function parseClaim(claim: string): Claim | undefined {
  const m = CLAIM.exec(claim);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, ms, host = '', pid, name = ''] = m;
  return { claim, name, claimedAt: `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`, host, pid: Number(pid) };
}
