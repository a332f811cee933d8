import type { RepositoryAdapter } from '../adapter/contract.ts';
import type { WalletProcess } from './child.ts';

/** The part of a repository adapter a run drives: an in-process adapter or wallet processes behind IPC. */
export type WalletHandle = Pick<
  RepositoryAdapter,
  'createWallet' | 'createSourceToken' | 'executeAtomicMelt' | 'balance' | 'teardown'
>;

/**
 * A typed client over wallet processes, implementing the same interface as an in-process adapter. Melts go to
 * `pick()`'s process (round-robin across several processes, for real concurrency); the rest go to the first.
 */
export function remoteWallet(procs: readonly WalletProcess[], pick: () => number = () => 0): WalletHandle {
  const first = () => procs[0];
  return {
    createWallet: (npub, mintUrl) => first().call<string>('createWallet', npub, mintUrl),
    createSourceToken: (token) => first().call<string>('createSourceToken', token),
    executeAtomicMelt: (ids, keep, change, txId, meta) =>
      procs[pick() % procs.length].call('executeAtomicMelt', ids, keep, change, txId, meta),
    teardown: async () => {
      for (const p of procs) await p.stop();
    },
  };
}
