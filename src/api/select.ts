import { CHECK_REGISTRY as CHECKS, findCheck } from '../checks/registry.ts';
import type { Check } from '../checks/types.ts';
import { UsageError } from '../cli/args.ts';

// Kept out of certify.ts so that the public declarations of certify never reach the check and run types (and,
// through them, the mint's and cashu-ts's).
/** The checks a run selects: named ones, or every one that fits the profile. Unknown names are a usage error. */
export function selectChecks(names: string[] = [], profile: 'quick' | 'full' = 'quick'): Check[] {
  const unknown = names.filter((c) => !findCheck(c));
  if (unknown.length)
    throw new UsageError(`unknown check '${unknown[0]}' (known: ${CHECKS.map((s) => s.name).join(', ')})`);
  return names.length
    ? CHECKS.filter((s) => names.some((c) => findCheck(c) === s))
    : CHECKS.filter((c) => profile === 'full' || !c.fullOnly);
}
