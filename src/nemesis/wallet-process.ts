// The wallet under test, alone in a process the harness may SIGKILL at any moment. Speaks JSON over IPC.
import { loadAdapter } from '../adapter/load.ts';

interface Request {
  id: number;
  op: string;
  args: unknown[];
}

const config = JSON.parse(process.env.MELTCHECK_CHILD ?? '{}');
const { adapter } = await loadAdapter(config.adapter);
try {
  await adapter.setup(config.ctx);
} catch (e) {
  process.send?.({ setupError: String((e as Error)?.message ?? e).split('\n')[0] });
  process.exit(1);
}

process.on('message', async (m: Request) => {
  try {
    const fn = (adapter as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[m.op];
    const result = await fn.apply(adapter, m.args);
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
