import { CRASH_SCENARIOS, SCENARIOS, SERVICE_STORIES } from '../../scenarios/index.ts';
import { balanceReads } from './balance-reads.ts';
import { crashPoints } from './crash-points.ts';
import { failPoints } from './fail-points.ts';
import { interleavings } from './interleavings.ts';
import { meltProperty } from './melt-property.ts';
import { multiProcessMelts } from './multi-process.ts';
import { scenarioCheck } from './scenario-check.ts';
import { serviceCrashPoints } from './service-crash-points.ts';
import { serviceProperty } from './service-property.ts';
import { storyCheck } from './service-scenarios.ts';
import { primaryStepdown, w1Rollback } from './topology.ts';
import type { Check } from './types.ts';
import { wireFaults } from './wire-faults.ts';

/**
 * The check registry: every check `certify` can run, in the order it runs them. The composition root — the only
 * module that imports scenarios, properties and enumerations together.
 */
export const CHECK_REGISTRY: Check[] = [
  ...SCENARIOS.map(scenarioCheck),
  ...CRASH_SCENARIOS,
  // Skipped at once for wallets without balance(); for the others its gated runs are cheaper than the property.
  balanceReads,
  meltProperty,
  multiProcessMelts,
  interleavings,
  crashPoints,
  failPoints,
  wireFaults,
  primaryStepdown,
  w1Rollback,
  ...SERVICE_STORIES.map(storyCheck),
  serviceProperty,
  serviceCrashPoints('mint'),
  serviceCrashPoints('full'),
];

/** Former names, still accepted by --check and replay (the CLI is public): old name -> current name. */
export const CHECK_ALIASES: Record<string, string> = {
  // It closes the connection before the commit runs; the lost reply is the wire-faults point of that name.
  'commit-reply-lost': 'commit-connection-closed',
};

export function findCheck(name: string): Check | undefined {
  const current = CHECK_ALIASES[name] ?? name;
  return CHECK_REGISTRY.find((c) => c.name === current);
}
