/**
 * What was sent, what was acknowledged and what each client received, and the verdict the issue
 * asks for: every acknowledged delivery received exactly once per client, in seq order, and
 * nothing received that was never sent.
 */

export interface ClientRecord {
  readonly seqs: number[];
  readonly buildIds: string[];
}

export interface LedgerFigures {
  readonly sent: number;
  readonly acknowledged: number;
  /** The fewest acknowledged deliveries any one client received. */
  readonly received: number;
  /** Acknowledged deliveries some client never received (summed over clients). */
  readonly lost: number;
  /** Deliveries a client was handed more than once (summed over clients). */
  readonly duplicates: number;
  /** Received deliveries that were never sent at all. */
  readonly invented: number;
  /** Places where a client's seqs did not increase. */
  readonly outOfOrder: number;
}

export class DeliveryLedger {
  readonly attempted = new Set<string>();
  readonly acknowledged = new Set<string>();
  readonly clients: ClientRecord[] = [];

  addClient(): ClientRecord {
    const record: ClientRecord = { seqs: [], buildIds: [] };
    this.clients.push(record);
    return record;
  }

  /** True once every client has every acknowledged delivery. */
  complete(): boolean {
    return this.clients.every((client) => {
      const ids = new Set(client.buildIds);
      for (const id of this.acknowledged) if (!ids.has(id)) return false;
      return true;
    });
  }

  figures(): LedgerFigures {
    let lost = 0;
    let duplicates = 0;
    let invented = 0;
    let outOfOrder = 0;
    let received = Number.POSITIVE_INFINITY;
    for (const client of this.clients) {
      const ids = new Set(client.buildIds);
      duplicates += client.buildIds.length - ids.size + (client.seqs.length - new Set(client.seqs).size) ;
      let ackedHere = 0;
      for (const id of this.acknowledged) {
        if (ids.has(id)) ackedHere += 1;
        else lost += 1;
      }
      received = Math.min(received, ackedHere);
      for (const id of ids) if (!this.attempted.has(id)) invented += 1;
      for (let i = 1; i < client.seqs.length; i += 1) if (client.seqs[i]! <= client.seqs[i - 1]!) outOfOrder += 1;
    }
    return {
      sent: this.attempted.size,
      acknowledged: this.acknowledged.size,
      received: Number.isFinite(received) ? received : 0,
      lost, duplicates, invented, outOfOrder,
    };
  }
}
