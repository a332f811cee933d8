import type { Scenario } from '../src/harness/scenario.ts';
import commitReplyLost from './commit-reply-lost.ts';
import concurrentSameSources from './concurrent-same-sources.ts';
import driverRetryOfCallback from './driver-retry-of-callback.ts';
import duplicateTransactionId from './duplicate-transaction-id.ts';
import emptyKeepAndChange from './empty-keep-and-change.ts';
import metadataValidation from './metadata-validation.ts';
import rollbackOnFailure from './rollback-on-failure.ts';
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
  commitReplyLost,
];
