/**
 * What a check actually exercised, counted by the harness as operations happen (never reported by the wallet):
 * the evidence a pass rests on. One tally per check.
 */
export class Tally {
  attempted = 0;
  committed = 0;
  refused = 0;
  unknown = 0;
  overlapping = 0;
  faultsFired = 0;
  crashesLanded = 0;
  opTimeouts = 0;
  emptyChange = 0;
  /** Balance reads that answered a value, and those made while a melt was in flight (what the bank test judges). */
  reads = 0;
  readsConcurrent = 0;
  scheduled = 0;
  mintMelts = 0;
  /** Paths a generated service story went through (melt with a prior swap, exact melt, crash during a swap…). */
  paths: Record<string, number> = {};
  /** The first message a wallet refused a melt with: what a user needs when every melt is refused. */
  firstRefusal?: string;
  private inFlight = new Map<number, string[]>();
  private next = 0;

  /** A melt starts: counted as overlapping when a melt of any of the same sources is in flight. */
  meltStarted(sources: readonly string[], changeCount = 1): number {
    this.attempted++;
    if (changeCount === 0) this.emptyChange++;
    const busy = [...this.inFlight.values()].some((s) => s.some((id) => sources.includes(id)));
    if (busy) this.overlapping++;
    const id = this.next++;
    this.inFlight.set(id, [...sources]);
    return id;
  }

  /** A read starts: whether a melt is in flight now (counted only once the read shows a value). */
  readStarted(): boolean {
    return this.inFlight.size > 0;
  }

  /** A read answered with a value: only those are judged, so only those count as exercise. */
  readAnswered(concurrent: boolean): void {
    this.reads++;
    if (concurrent) this.readsConcurrent++;
  }

  meltEnded(id: number, type: 'ok' | 'fail' | 'info', error?: string): void {
    this.inFlight.delete(id);
    if (type === 'ok') this.committed++;
    else if (type === 'fail') {
      this.refused++;
      this.firstRefusal ??= error;
    } else this.unknown++;
  }

  path(name: string, n = 1): void {
    this.paths[name] = (this.paths[name] ?? 0) + n;
  }

  counts(): Record<string, number> {
    const { attempted, committed, refused, unknown, overlapping, faultsFired, crashesLanded, opTimeouts } = this;
    const { emptyChange, scheduled, mintMelts, reads, readsConcurrent } = this;
    return {
      attempted,
      committed,
      refused,
      unknown,
      overlapping,
      faultsFired,
      crashesLanded,
      opTimeouts,
      emptyChange,
      scheduled,
      mintMelts,
      reads,
      readsConcurrent,
      ...Object.fromEntries(Object.entries(this.paths).map(([k, v]) => [`path.${k}`, v])),
    };
  }
}

/** Where a run's time went: the harness's own work (checker, state reads) against the wallet's calls. */
export class Timing {
  checkerMs = 0;
  walletMs = 0;

  async measure<T>(what: 'checkerMs' | 'walletMs', f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      this[what] += performance.now() - t0;
    }
  }
}
