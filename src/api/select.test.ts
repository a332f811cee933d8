import { describe, expect, it } from 'vitest';
import { CHECK_REGISTRY } from '../checks/registry.ts';
import { selectChecks } from './select.ts';

// What a run selects, without running it (the CLI tests name their checks with --check to stay short).
describe('selectChecks', () => {
  const names = (checks: { name: string }[]) => checks.map((c) => c.name);

  it('selects every quick check without --check, and every check with --profile full, in registry order', () => {
    const quick = selectChecks();
    expect(names(quick)).toEqual(names(CHECK_REGISTRY.filter((c) => !c.fullOnly)));
    expect(quick.length).toBeGreaterThanOrEqual(9);
    expect(names(quick)).toContain('melt-property');
    expect(names(quick)).toContain('crash-points');
    expect(names(selectChecks([], 'full'))).toEqual(names(CHECK_REGISTRY));
  });

  it('selects only the named checks (former names too), in registry order, and refuses an unknown name', () => {
    expect(names(selectChecks(['melt-property', 'successful-melt', 'commit-reply-lost']))).toEqual([
      'successful-melt',
      'commit-connection-closed',
      'melt-property',
    ]);
    expect(() => selectChecks(['no-such-check'])).toThrow(/unknown check 'no-such-check'/);
  });
});
