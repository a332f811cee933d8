/** Observers of every mint call (the nemesis kills the wallet around mint calls with these). */
export interface MintHooks {
  onRequest?(path: string): 'drop' | undefined;
  /** `body`: what the mint answered (before a response-lost fault drops it). */
  onResponse?(path: string, status: number, body?: unknown): void;
}
