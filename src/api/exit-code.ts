/** Exit code of a verdict: 0 pass, 1 a violation, 3 inconclusive; any verdict this build does not know is not a pass. */
export function exitCodeOf(verdict: string): number {
  const codes: Record<string, number> = { pass: 0, fail: 1, inconclusive: 3 };
  return codes[verdict] ?? 1;
}
