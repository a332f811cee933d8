// meltcheck's public API: what a wallet project imports from 'meltcheck'.
export type {
  Adapter,
  AdapterContext,
  AdapterFactory,
  HeldProof,
  MappedToken,
  MeltMetadata,
  RepositoryAdapter,
  ServiceAdapter,
  SourceToken,
  StorageMapping,
} from './adapter/contract.ts';
export { defineAdapter } from './adapter/contract.ts';
export { AdapterLoadError } from './adapter/load.ts';
export { type CertifyOptions, certify } from './api/certify.ts';

export { mergeReports } from './api/merge.ts';
export { type ReplayOptions, type ReplayResult, replay } from './api/replay.ts';
export type { Shard } from './api/shard.ts';
export type { Invariant } from './checker/types.ts';
export { UsageError } from './cli/args.ts';
export { type ClusterChoice, ClusterUnavailableError } from './cluster/cluster.ts';
export { EnvironmentError } from './harness/env.ts';
export type { History, Op } from './history/op.ts';
export type { StoredProof } from './proofs/proof.ts';
export { loadReport } from './report/load.ts';
export { type MoneyImpact, moneyImpact } from './report/money.ts';
export { type OperationRow, operationRows } from './report/operations.ts';
export { exitCodeOf, type Report, type RunVerdict } from './report/report.ts';
export type { CheckKind, CheckResult, Failure } from './report/types.ts';
export { writeReport } from './report/write.ts';
