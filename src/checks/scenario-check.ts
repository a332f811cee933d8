import { runScenario } from '../harness/run-scenario.ts';
import type { Scenario } from '../harness/scenario.ts';
import type { Check } from './types.ts';

/** A named scenario as a check. */
export function scenarioCheck(s: Scenario): Check {
  return {
    name: s.name,
    kind: 'scenario',
    invariants: s.invariants,
    minimum: s.minimum,
    run: (env) => runScenario(env, s),
  };
}
