// The PyTorch releases the catalog knows, and how a keyword's or class's lifetime compares with the user's version.

/** Every PyTorch minor release the catalog describes, oldest first. The last one is the default of `optimizerLens.torchVersion`. */
export const TORCH_VERSIONS: readonly string[] = [
  '1.13',
  '2.0',
  '2.1',
  '2.2',
  '2.3',
  '2.4',
  '2.5',
  '2.6',
  '2.7',
  '2.8',
  '2.9',
];

export const LATEST_TORCH_VERSION = '2.9';

/** `[major, minor]` of a version such as `2.5` or `2.5.1`; undefined when it is not one. */
function parts(version: string): [number, number] | undefined {
  const match = /^\s*(\d+)\.(\d+)(?:\.\d+)?\s*$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Negative, zero or positive as `a` is older than, the same minor release as, or newer than `b`. */
export function compareTorchVersions(a: string, b: string): number {
  const left = parts(a);
  const right = parts(b);
  if (!left || !right) return 0;
  return left[0] - right[0] || left[1] - right[1];
}

/** The user's version, normalised to `major.minor`; the latest when it is missing or not a version. */
export function normalizeTorchVersion(version: unknown): string {
  if (typeof version !== 'string') return LATEST_TORCH_VERSION;
  const found = parts(version);
  return found ? `${found[0]}.${found[1]}` : LATEST_TORCH_VERSION;
}

/** Something that appeared in one release and may have been removed in a later one. */
export interface Lifetime {
  /** The first release that has it; absent when it is in 1.13 already. */
  readonly since?: string;
  /** The first release that no longer has it. */
  readonly removedIn?: string;
}

/** Whether `version` has it: 'ok', or why not. */
export function availability(lifetime: Lifetime, version: string): 'ok' | 'not-yet' | 'removed' {
  if (lifetime.since !== undefined && compareTorchVersions(version, lifetime.since) < 0) return 'not-yet';
  if (lifetime.removedIn !== undefined && compareTorchVersions(version, lifetime.removedIn) >= 0) return 'removed';
  return 'ok';
}
