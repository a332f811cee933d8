// Types for require('meltcheck'): the ES module's types; functions that load it are async here.
import type * as M from '../dist/src/index.js';

export type {
  Adapter,
  AdapterContext,
  AdapterFactory,
  CertifyOptions,
  CheckKind,
  CheckResult,
  ClusterChoice,
  Failure,
  HeldProof,
  History,
  Invariant,
  MappedToken,
  MeltMetadata,
  Op,
  ReplayOptions,
  ReplayResult,
  Report,
  RepositoryAdapter,
  ServiceAdapter,
  Shard,
  SourceToken,
  StorageMapping,
  StoredProof,
} from '../dist/src/index.js';

export declare const defineAdapter: typeof M.defineAdapter;
export declare const certify: typeof M.certify;
export declare const replay: typeof M.replay;
export declare function mergeReports(...args: Parameters<typeof M.mergeReports>): Promise<M.Report>;
export declare function loadReport(path: string): Promise<M.Report>;
export declare const exitCodeOf: typeof M.exitCodeOf;
