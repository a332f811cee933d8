import { TestMint } from '../mint/server.ts';
import { UsageError } from './args.ts';
import { listenOrExplain } from './listen-error.ts';

/** `meltcheck mint`: the test mint as a standalone server until Ctrl-C. */
export async function runMint(port: number, inputFeePpk: number, seed: string): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
  if (!Number.isInteger(inputFeePpk) || inputFeePpk < 0)
    throw new UsageError('--input-fee-ppk must be an integer >= 0');
  const mint = await listenOrExplain('mint', port, () =>
    TestMint.start({ port, inputFeePpk, seed, log: (l) => console.error(l) }),
  );
  console.log(mint.url);
  console.error(`meltcheck test mint (fake Lightning, keyset ${mint.ledger.activeKeyset.keysetId}) — Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await mint.stop();
  return 0;
}
