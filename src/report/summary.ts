import type { Report } from './report.ts';

/** A few lines of markdown for $GITHUB_STEP_SUMMARY: verdict, backend, counts, each failure in one line. */
export function summary(report: Report, dir?: string): string {
  const count = (status: string) => report.checks.filter((c) => c.status === status).length;
  const backend = `${report.backend.kind}${report.backend.real ? '' : ' (SIMULATED: not a real-MongoDB certification)'}`;
  const lines = [
    `### meltcheck: ${report.verdict.toUpperCase()} — adapter \`${report.adapter.spec}\``,
    '',
    `${count('pass')} checks held, ${count('fail')} failed, ${count('skip')} skipped · backend ${backend}, server ${report.backend.serverVersion} · seed ${report.seed}${report.shard ? ` · shard ${report.shard.index}/${report.shard.total}` : ''}`,
    '',
  ];
  for (const f of report.failures.slice(0, 20))
    lines.push(`- **${f.check}** [${f.invariant}] ${f.message.split('\n')[0]}  \n  \`${f.replay}\``);
  if (report.failures.length > 20) lines.push(`- … ${report.failures.length - 20} more in report.md`);
  if (dir) lines.push('', `Full report: \`${dir}/report.md\`, \`${dir}/report.html\``);
  return `${lines.join('\n')}\n`;
}
