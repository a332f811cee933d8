import { crashEnumeration } from '../src/checks/crash-points.ts';

/**
 * The wallet process is SIGKILLed right after the spend (the first update of the melt) returns: with a
 * transaction nothing is committed yet, so the sources must still be live and nothing else stored.
 */
export default crashEnumeration(
  'crash-after-marking-spent',
  'scenario',
  (commands) => {
    const k = commands.indexOf('update');
    return k < 0 ? [] : [{ k, when: 'after' as const }];
  },
  ['atomicity', 'conservation', 'no-double-count'],
);
