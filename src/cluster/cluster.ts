import type { TopologyControl } from './topology.ts';

/** Where the wallet's MongoDB lives. One interface, many backends (see DESIGN.md, "cluster"). */
export type ClusterKind = 'sim' | 'memory' | 'docker' | 'uri';
export const CLUSTER_KINDS = ['auto', 'sim', 'memory', 'docker', 'uri'] as const;
export type ClusterChoice = (typeof CLUSTER_KINDS)[number];

export interface StartedCluster {
  kind: ClusterKind;
  /** false only for the simulator: a simulated result is never a real-MongoDB result. */
  real: boolean;
  /** Connection string without a database; every run picks its own database. */
  uri: string;
  members: number;
  /**
   * May topology faults (stepdown, killing members) run here? True for clusters meltcheck started; for a `uri`
   * cluster only with --allow-disruptive. Absent means no.
   */
  disruptive?: boolean;
  /** Topology faults (stepdown, kill, partition) on a 3-member cluster meltcheck started; absent elsewhere. */
  topology?: TopologyControl;
  /** Why this backend was chosen, when `auto` chose it. */
  note?: string;
  serverVersion(): Promise<string>;
  /** Stops what this provider started (an external uri cluster is left running). */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  members?: 1 | 3;
  uri?: string;
  allowRemote?: boolean;
  /** Allow topology faults on a `uri` cluster meltcheck did not start. */
  allowDisruptive?: boolean;
  /** How long `auto` and `memory` wait for a mongod before giving up. */
  timeoutMs?: number;
}

/** A backend cannot start here: one line saying why and what to do. Exit code 2. */
export class ClusterUnavailableError extends Error {
  constructor(
    readonly kind: ClusterKind,
    reason: string,
  ) {
    super(`cluster '${kind}' unavailable: ${reason}`);
  }
}

export const REAL_SERVER_HINT =
  'get a real server one of three ways: set MONGOMS_SYSTEM_BINARY to a mongod >= 4.4 (memory), run a Docker engine (docker), or pass --cluster uri --uri mongodb://127.0.0.1:27017/?replicaSet=rs0';
