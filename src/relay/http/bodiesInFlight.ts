/**
 * How many webhook bodies each address is sending right now. A body is held in memory while it
 * arrives (up to the size cap, for up to the request timeout), so without a bound one address
 * that knows a channel's name could open thousands of slow 1 MiB uploads and hold gigabytes.
 */
export class BodiesInFlight {
  private readonly counts = new Map<string, number>();

  /** @param maxPerAddress bodies one address may be sending at once (see RelayOptions.maxBodiesPerAddress). */
  constructor(private readonly maxPerAddress: number) {
    if (!(maxPerAddress >= 1)) throw new TypeError('maxPerAddress must be at least 1');
  }

  /** Takes a place for `address`: a release function (call it once), or undefined when the address is at its limit. */
  enter(address: string): (() => void) | undefined {
    const count = this.counts.get(address) ?? 0;
    if (count >= this.maxPerAddress) return undefined;
    this.counts.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(address) ?? 1) - 1;
      if (left <= 0) this.counts.delete(address);
      else this.counts.set(address, left);
    };
  }

  /** Addresses with a body in flight (bounded by the open connections). */
  get addresses(): number {
    return this.counts.size;
  }
}
