import type { Scenario } from '../src/harness/scenario.ts';
import type { ServiceStory } from '../src/harness/service-story.ts';
import commitConnectionClosed from './commit-connection-closed.ts';
import concurrentSameSources from './concurrent-same-sources.ts';
import crashAfterMarkingSpent from './crash-after-marking-spent.ts';
import driverRetryOfCallback from './driver-retry-of-callback.ts';
import duplicateTransactionId from './duplicate-transaction-id.ts';
import emptyKeepAndChange from './empty-keep-and-change.ts';
import metadataValidation from './metadata-validation.ts';
import rollbackOnFailure from './rollback-on-failure.ts';
import lightningFailed from './service/lightning-failed.ts';
import lightningPendingThenFailed from './service/lightning-pending-then-failed.ts';
import lightningPendingThenPaid from './service/lightning-pending-then-paid.ts';
import meltResponseLost from './service/melt-response-lost.ts';
import singleTokenExact from './single-token-exact.ts';
import successfulMelt from './successful-melt.ts';

/** Every named story; `meltcheck certify` runs them all. */
export const SCENARIOS: Scenario[] = [
  successfulMelt,
  rollbackOnFailure,
  metadataValidation,
  concurrentSameSources,
  emptyKeepAndChange,
  singleTokenExact,
  duplicateTransactionId,
  driverRetryOfCallback,
  commitConnectionClosed,
];

/** Stories that need the wallet in a process the harness kills. */
export const CRASH_SCENARIOS = [crashAfterMarkingSpent];

/** Service-level stories: the test mint's Lightning and network faults, settled by recover(). */
export const SERVICE_STORIES: ServiceStory[] = [
  lightningFailed,
  lightningPendingThenPaid,
  lightningPendingThenFailed,
  meltResponseLost,
];
