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
  at: { melt: 'write-on-primary' };
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
    case 'kill':
      return {
        onCommand: (c) => {
          if (plan.at.when !== 'before' || c.index !== plan.at.command) return 'forward';
          fx.fired(plan, c);
          fx.kill();
          return 'drop';
        },
        onReply: (c) => {
          if (plan.at.when !== 'after' || c.index !== plan.at.command) return;
          fx.fired(plan, c);
          fx.kill();
        },
      };
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
