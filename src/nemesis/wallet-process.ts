// The wallet under test, alone in a process the harness may SIGKILL at any moment. Speaks JSON over IPC.
// It loads the adapter module first and then waits for its context: the harness can keep a loaded process warm
// (see warm-pool.ts) so that a crash point costs a setup, not a module load.
import type { AdapterContext } from '../adapter/contract.ts';
import { loadAdapter } from '../adapter/load.ts';

interface Request {
  id: number;
  op: string;
  args: unknown[];
}

const config = JSON.parse(process.env.MELTCHECK_CHILD ?? '{}');
const { adapter } = await loadAdapter(config.adapter);

// Declared crash points: the harness answers each (or kills this process there); the wallet awaits the answer.
const points = new Map<number, () => void>();
let nextPoint = 1;
const crashPoint = (label: string) =>
  new Promise<void>((resolve) => {
    const seq = nextPoint++;
    points.set(seq, resolve);
    process.send?.({ crashPoint: String(label), seq });
  });
const withPoints = (c: AdapterContext): AdapterContext => ({ ...c, crashPoint });
process.on('message', (m: { crashPointAck?: number }) => {
  if (m.crashPointAck === undefined) return;
  points.get(m.crashPointAck)?.();
  points.delete(m.crashPointAck);
});

const ctx = await new Promise<AdapterContext>((resolve) => {
  process.once('message', (m: { setup: AdapterContext }) => resolve(m.setup));
  process.send?.({ loaded: true });
});
try {
  await adapter.setup(withPoints(ctx));
} catch (e) {
  process.send?.({ setupError: String((e as Error)?.message ?? e).split('\n')[0] });
  process.exit(1);
}

process.on('message', async (m: Request) => {
  if (m.op === undefined) return; // a crash point's answer (above)
  // A round trip behind whatever the wallet queued before it (setImmediate work, the sends it made before).
  if (m.op === '__ping') return process.send?.({ id: m.id, ok: true, result: null });
  try {
    const fn = (adapter as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[m.op];
    // A new setup after teardown (a process reused for the next crash point) gets the crash points too.
    const args = m.op === 'setup' ? [withPoints(m.args[0] as AdapterContext)] : m.args;
    const result = await fn.apply(adapter, args);
    process.send?.({ id: m.id, ok: true, result: JSON.parse(JSON.stringify(result ?? null)) });
  } catch (e) {
    const err = e as {
      name?: string;
      code?: unknown;
      message?: string;
      errorLabels?: string[];
      indeterminate?: boolean;
    };
    process.send?.({
      id: m.id,
      ok: false,
      error: {
        name: err?.name,
        code: err?.code,
        message: String(err?.message ?? e),
        errorLabels: err?.errorLabels,
        indeterminate: err?.indeterminate,
      },
    });
  }
});
process.send?.({ ready: true });
