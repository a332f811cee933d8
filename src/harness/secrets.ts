/**
 * Every proof secret this process handed out or read back, so that tests can prove no report or log carries
 * one. Secrets are bearer money: they are kept in memory only, never written anywhere.
 */
export const SEEN_SECRETS = new Set<string>();

export function remember(secrets: Iterable<string>): void {
  for (const s of secrets) SEEN_SECRETS.add(s);
}
