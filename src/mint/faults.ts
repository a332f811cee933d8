/** A fault the harness injects at one endpoint, at the n-th call to it (0-based), or at every call. */
export interface MintFault {
  endpoint: string;
  call?: number;
  kind: 'response-lost' | 'request-lost' | 'delay' | 'http500' | 'malformed';
  ms?: number;
}

export class MintFaults {
  private faults: MintFault[] = [];
  private calls = new Map<string, number>();

  add(f: MintFault): void {
    this.faults.push(f);
  }

  /** Plans a fault for the next call to this endpoint, whatever number it will be. */
  addNext(f: Omit<MintFault, 'call'>): void {
    this.faults.push({ ...f, call: this.calls.get(f.endpoint) ?? 0 });
  }

  clear(): void {
    this.faults = [];
    this.calls.clear();
  }

  /** Counts this call and returns the fault planned for it, if any. */
  next(endpoint: string): MintFault | undefined {
    const n = this.calls.get(endpoint) ?? 0;
    this.calls.set(endpoint, n + 1);
    return this.faults.find((f) => f.endpoint === endpoint && (f.call === undefined || f.call === n));
  }
}
