import type { TopologyControl } from '../cluster/topology.ts';
import type { CommandAction, ProxyHooks, WireCommand } from './proxy.ts';

/**
 * A fault as data: what to do, and at which point of one melt (the k-th database command the wallet sends, or
 * the first command of a name). Checks generate plans; `interpret` is the one place that turns a plan into what
 * the wire proxy and the cluster do.
 */
export type FaultPlan =
  | { kind: 'kill'; label: string; at: { command: number; when: 'before' | 'after' } }
  | { kind: 'failCommand'; label: string; at: { command: number }; data: Record<string, unknown> }
  | { kind: 'wire'; label: string; at: { name: string }; action: CommandAction }
  | TopologyPlan;

/** What happens to a 3-member set during a melt. */
export type TopologyAction = 'stepdown-catch-up' | 'stepdown-force' | 'kill-primary' | 'partition-primary';

/**
 * A topology fault: replication to the secondaries paused (or not) before the melt; once the melt's write is on
 * the primary (acknowledged, or waiting for its write concern) the action runs. With `crashWallet` the wallet
 * process making the melt is killed first and the same melt is asked again from another process before the
 * action — the retry of a user whose app died.
 */
export interface TopologyPlan {
  kind: 'topology';
  label: string;
  /**
   * When the fault fires: once the melt's write is on the primary (acknowledged, or waiting for its write
   * concern), or once the wallet has answered the melt (bounded by `boundMs`: a wallet that waits for a majority
   * never answers while replication is paused) — the moment a wallet that takes an unreplicated commit for done
   * has told its user.
   */
  at: { melt: 'write-on-primary' } | { melt: 'answered'; boundMs: number };
  action: TopologyAction;
  pauseReplication: boolean;
  crashWallet?: boolean;
  /** A slow election (ms): longer than a fail-fast driver waits for a new primary. */
  electionMs?: number;
}

/** Runs a topology plan's action on the cluster: the one place topology faults are executed. */
export async function interpretTopology(plan: TopologyPlan, topology: TopologyControl): Promise<void> {
  switch (plan.action) {
    case 'stepdown-catch-up':
      return topology.stepDown({ catchUp: true, electionMs: plan.electionMs });
    case 'stepdown-force':
      return topology.stepDown({ catchUp: false, electionMs: plan.electionMs });
    case 'kill-primary':
      await topology.killPrimary();
      return;
    case 'partition-primary':
      if (!topology.partitionPrimary) throw new Error('this cluster cannot partition a member');
      await topology.partitionPrimary();
      return;
  }
}

/** What a plan needs from the world when it fires (the check supplies them; plans stay pure data). */
export interface FaultEffects {
  /** SIGKILL the wallet process under test. */
  kill(): void;
  /** Arm mongod's failCommand for the wallet's appName, once, for the named command. */
  armFailCommand(command: string, data: Record<string, unknown>): Promise<void>;
  /** A fault or crash happened at this command: recorded in the history (and counted). */
  fired(plan: FaultPlan, command: WireCommand): void;
}

/** The proxy hooks that execute `plan` during one melt. */
export function interpret(plan: FaultPlan, fx: FaultEffects): ProxyHooks {
  switch (plan.kind) {
    case 'kill': {
      // The reply reaches the wallet before the signal does: whatever it sends after the kill was decided must not
      // reach the server, or the crash would land later than its point says.
      let killed = false;
      return {
        onCommand: (c) => {
          if (killed) return 'drop';
          if (plan.at.when !== 'before' || c.index !== plan.at.command) return 'forward';
          killed = true;
          fx.fired(plan, c);
          fx.kill();
          return 'drop';
        },
        onReply: (c) => {
          if (plan.at.when !== 'after' || c.index !== plan.at.command) return;
          killed = true;
          fx.fired(plan, c);
          fx.kill();
        },
      };
    }
    case 'failCommand':
      // mongod's modes cannot say "skip k, fail once": the proxy holds command k while the fail point is armed.
      return {
        onCommand: async (c): Promise<CommandAction> => {
          if (c.index === plan.at.command) {
            await fx.armFailCommand(c.name, plan.data);
            fx.fired(plan, c);
          }
          return 'forward';
        },
      };
    case 'topology':
      return {}; // not a wire fault: run by interpretTopology on the cluster
    case 'wire': {
      let done = false;
      return {
        onCommand: (c) => {
          if (done || c.name !== plan.at.name) return 'forward';
          done = true;
          fx.fired(plan, c);
          return plan.action;
        },
      };
    }
  }
}

/**
 * Where a service-level crash lands: the n-th call to one endpoint within one operation of the wallet (`melt`),
 * on one channel — a mint call, a database command, or a crash point the wallet declared. Counting per endpoint
 * within the operation keeps labels stable when the wallet makes other calls (background work, retries).
 */
export interface ServicePoint {
  operation: string;
  channel: 'mint' | 'db' | 'declared';
  endpoint: string;
  /** 1-based, per (operation, channel, endpoint). */
  occurrence: number;
  /** Declared points are moments: the process dies `at` them, before the wallet goes on. */
  when: 'before' | 'after' | 'at';
}

/** SIGKILL the wallet process at one service point (plans are data: the shape and point say everything). */
export interface ServiceCrashPlan {
  kind: 'service-kill';
  label: string;
  shape: string;
  at: ServicePoint;
}

/** The event's own name, without the moment: `melt: mint /v1/swap #1`. */
export function eventName(p: Omit<ServicePoint, 'when'>): string {
  return `${p.operation}: ${p.channel} ${p.endpoint} #${p.occurrence}`;
}

/** The point's label as reports show it: `after melt: mint /v1/swap #1`. */
export function pointLabel(p: ServicePoint): string {
  return `${p.when} ${eventName(p)}`;
}

/**
 * The interpreter of a service crash plan: consulted at every event of the run (and every moment of it), it
 * says whether this is where the plan fires; firing kills the wallet (`before`: the call is also held back).
 */
export function interpretServiceCrash(
  plan: ServiceCrashPlan,
  fx: { kill(): void; fired(plan: ServiceCrashPlan): void },
): (event: ServicePoint) => boolean {
  let done = false;
  return (e) => {
    const a = plan.at;
    if (done || e.when !== a.when || e.operation !== a.operation || e.channel !== a.channel) return false;
    if (e.endpoint !== a.endpoint || e.occurrence !== a.occurrence) return false;
    done = true;
    fx.fired(plan);
    fx.kill();
    return true;
  };
}
