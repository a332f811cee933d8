/**
 * Observers of every mint call (the nemesis kills the wallet around mint calls with these). 'drop' and 'kill' say
 * the wallet is being killed: a mint with NUT-17 then cuts its WebSocket subscribers at once, so no notification
 * reaches the dying process after the decision.
 */
export interface MintHooks {
  /** 'drop': the wallet is killed before this request arrives; the mint never sees it. */
  onRequest?(path: string): 'drop' | undefined;
  /** `body`: what the mint answered (before a response-lost fault drops it). 'kill': the wallet is killed now. */
  // biome-ignore lint/suspicious/noConfusingVoidType: observers that return nothing (most of them) stay valid
  onResponse?(path: string, status: number, body?: unknown): 'kill' | undefined | void;
}
