import type { MintChoice } from '../cli/args.ts';
import { UsageError } from '../cli/args.ts';
import { nutshellMissing } from './nutshell/install.ts';
import { type MintProvider, nutshellProvider, testMintProvider, urlMintProvider } from './provider.ts';

/** The service level's mint, refused before anything starts when it cannot serve (one line, exit 2). */
export function selectMint(choice: MintChoice, allowRemote: boolean): MintProvider {
  if (choice.kind === 'test') return testMintProvider;
  if (choice.kind === 'nutshell') {
    const missing = nutshellMissing();
    if (missing) throw new UsageError(`--mint nutshell: ${missing}`);
    return nutshellProvider;
  }
  const host = new URL(choice.url).hostname;
  if (!/^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(host) && !allowRemote)
    throw new UsageError(`--mint url: refusing remote mint ${host}; pass --allow-remote if it is yours to test on`);
  return urlMintProvider(choice.url);
}
