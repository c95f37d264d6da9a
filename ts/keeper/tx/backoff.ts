// Per-job backoff: the n-th consecutive failure waits base * 2^(n-1), capped. A single transient failure costs
// one base delay (a second or so), never a long lock-out; any success or "done" clears the record.
export class Backoff {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while `key` is still waiting after a failure. */
  blocked(key: string): boolean {
    const f = this.failures.get(key);
    return f !== undefined && this.now() < f.until;
  }

  /** Records a failure; returns the delay imposed (ms). */
  fail(key: string): number {
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const delay = Math.min(this.baseMs * 2 ** (count - 1), this.maxMs);
    this.failures.set(key, { count, until: this.now() + delay });
    return delay;
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  /** Forget every failure (the chain was reset). */
  clearAll(): void {
    this.failures.clear();
  }

  failuresOf(key: string): number {
    return this.failures.get(key)?.count ?? 0;
  }
}
