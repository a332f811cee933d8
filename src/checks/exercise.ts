import type { Tally } from '../harness/tally.ts';
import type { Minimum } from './types.ts';

/**
 * Why a check's run is too thin to mean anything, in one line; undefined when every minimum was met.
 * `appName` names what the wallet should have set when no fault could reach it.
 */
export function shortfall(min: Minimum, t: Tally, appName: string): string | undefined {
  const why = missing(min, t, appName);
  // Whatever else is missing, a wallet that refused every melt explains it best.
  if (why && t.committed === 0 && t.refused > 0 && !why.startsWith('the wallet refused'))
    return `${why}; the wallet refused all ${t.refused} melt(s) it answered, first error: ${t.firstRefusal ?? '(none)'}`;
  return why;
}

function missing(min: Minimum, t: Tally, appName: string): string | undefined {
  if (min.committed && t.committed < min.committed) {
    if (t.attempted === 0) return 'no melt was attempted (the check stopped before melting)';
    if (t.committed === 0 && t.refused > 0)
      return `the wallet refused all ${t.refused} melt(s) it answered (${t.unknown} unknown); first error: ${t.firstRefusal ?? '(none)'}`;
    return `only ${t.committed} of ${t.attempted} melts committed; the check needs at least ${min.committed}`;
  }
  if (min.overlapping && t.overlapping < min.overlapping)
    return `no melt ran while another melt of the same sources was in flight (needs ${min.overlapping})`;
  if (min.faultsFired && t.faultsFired < min.faultsFired)
    return `no fault fired on the wallet's connections: no command carried appName ${appName}… — set ctx.appName as the driver's appName`;
  if (min.crashesLanded && t.crashesLanded < min.crashesLanded)
    return `no kill landed during a melt: no command carried appName ${appName}… — set ctx.appName as the driver's appName`;
  if (min.readsConcurrent && t.readsConcurrent < min.readsConcurrent)
    return `no balance read ran while a melt was in flight (needs ${min.readsConcurrent})`;
  if (min.scheduled && t.scheduled < min.scheduled)
    return `the gate scheduled none of the wallet's commands: no command carried appName ${appName}… — set ctx.appName as the driver's appName`;
  if (min.mintMelts && t.mintMelts < min.mintMelts)
    return 'the wallet never sent the mint a melt with proofs (the story did not reach the payment)';
  const unseen = (min.paths ?? []).filter((p) => !t.paths[p]);
  if (unseen.length)
    return `the generated stories never went through: ${unseen.join(', ')} (raise --runs, or see why the wallet never took that path)`;
  return undefined;
}
