/** Observers of every mint call (the nemesis kills the wallet around mint calls with these). */
export interface MintHooks {
  onRequest?(path: string): 'drop' | undefined;
  onResponse?(path: string, status: number): void;
}
