import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MintBooks, MintTotals } from '../books.ts';
import type { WireProof } from '../ledger.ts';
import { checkstateOracle } from '../oracle.ts';
import { nutshellVenv } from './install.ts';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'books.py');

const key = (p: WireProof) => `${p.id}/${p.amount}/${p.secret}/${p.C}`;

/**
 * nutshell's books for these proofs: states over NUT-07 (its own answer), signatures checked with its own keys and
 * totals from its tables (books.py, with the venv's python, read-only). Call it with every proof the checker
 * will ask about; worth() of any other proof throws (a harness bug, never a silent "unspent").
 */
export async function nutshellBooks(url: string, database: string, proofs: WireProof[]): Promise<MintBooks> {
  const unique = [...new Map(proofs.map((p) => [key(p), p])).values()];
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      join(nutshellVenv(), 'bin', 'python'),
      [SCRIPT],
      { cwd: database, env: { PATH: process.env.PATH ?? '', HOME: database, MINT_BACKEND_BOLT11_SAT: 'FakeWallet' } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`nutshell books: ${stderr.trim().split('\n').pop()}`)) : resolve(stdout),
    );
    child.stdin?.end(JSON.stringify({ database, proofs: unique }));
  });
  const read = JSON.parse(out) as MintTotals & { valid: boolean[] };
  const valid = new Map(unique.map((p, i) => [key(p), read.valid[i]]));
  const states = new Map<string, string>();
  const oracle = checkstateOracle(url);
  for (const p of unique) {
    const w = await oracle.worth([p]);
    states.set(key(p), w.spent ? 'SPENT' : w.pending ? 'PENDING' : 'UNSPENT');
  }
  const { valid: _, ...totals } = read;
  return {
    worth(ps) {
      const w = { unspent: 0, pending: 0, spent: 0, invalid: 0 };
      for (const p of ps) {
        const k = key(p);
        if (!valid.has(k)) throw new Error('nutshell books: asked about a proof not read (harness bug)');
        const amount = Number(p.amount);
        if (!valid.get(k)) w.invalid += amount;
        else if (states.get(k) === 'SPENT') w.spent += amount;
        else if (states.get(k) === 'PENDING') w.pending += amount;
        else w.unspent += amount;
      }
      return w;
    },
    totals,
    balanced:
      totals.pendingMelts > 0
        ? undefined
        : totals.deposits === totals.outstanding + totals.inputFees + totals.lightningPaid + totals.lightningFees,
  };
}
