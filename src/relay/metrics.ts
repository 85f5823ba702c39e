/**
 * The relay's Prometheus metrics, kept by hand: four counters, a gauge and one histogram do not
 * need a client library. Label values come only from known sets or from existing channels, so a
 * sender cannot grow the label space by inventing channel names.
 */

const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class RelayMetrics {
  private readonly deliveries = new Map<string, number>();
  private eventsStored = 0;
  private framesSent = 0;
  private clientsConnected = 0;
  private readonly latencyCounts = new Array<number>(LATENCY_BUCKETS_SECONDS.length).fill(0);
  private latencySum = 0;
  private latencyCount = 0;

  /** One webhook answered: `channel` is an existing channel's name or `unknown`. */
  recordDelivery(channel: string, outcome: string): void {
    const key = `channel="${escapeLabel(channel)}",outcome="${escapeLabel(outcome)}"`;
    this.deliveries.set(key, (this.deliveries.get(key) ?? 0) + 1);
  }

  recordStored(): void {
    this.eventsStored += 1;
  }

  recordFrames(count: number): void {
    this.framesSent += count;
  }

  setClientsConnected(count: number): void {
    this.clientsConnected = count;
  }

  /** Time from receiving a webhook to handing its frame to a client's socket. */
  recordIngestToSend(seconds: number): void {
    this.latencySum += seconds;
    this.latencyCount += 1;
    for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i += 1) {
      if (seconds <= LATENCY_BUCKETS_SECONDS[i]!) {
        this.latencyCounts[i]! += 1;
        return;
      }
    }
  }

  /** The Prometheus text exposition format, version 0.0.4. */
  render(): string {
    const lines: string[] = [];
    lines.push('# HELP buildbell_deliveries_total Webhook deliveries answered, by channel and outcome.');
    lines.push('# TYPE buildbell_deliveries_total counter');
    for (const [labels, value] of [...this.deliveries].sort()) lines.push(`buildbell_deliveries_total{${labels}} ${value}`);
    lines.push('# HELP buildbell_events_stored_total Events committed to the log (duplicates excluded).');
    lines.push('# TYPE buildbell_events_stored_total counter');
    lines.push(`buildbell_events_stored_total ${this.eventsStored}`);
    lines.push('# HELP buildbell_clients_connected WebSocket clients connected now.');
    lines.push('# TYPE buildbell_clients_connected gauge');
    lines.push(`buildbell_clients_connected ${this.clientsConnected}`);
    lines.push('# HELP buildbell_frames_sent_total Event frames handed to client sockets.');
    lines.push('# TYPE buildbell_frames_sent_total counter');
    lines.push(`buildbell_frames_sent_total ${this.framesSent}`);
    lines.push('# HELP buildbell_ingest_to_send_seconds From receiving a webhook to sending its frame to a live client.');
    lines.push('# TYPE buildbell_ingest_to_send_seconds histogram');
    let cumulative = 0;
    LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
      cumulative += this.latencyCounts[i]!;
      lines.push(`buildbell_ingest_to_send_seconds_bucket{le="${bound}"} ${cumulative}`);
    });
    lines.push(`buildbell_ingest_to_send_seconds_bucket{le="+Inf"} ${this.latencyCount}`);
    lines.push(`buildbell_ingest_to_send_seconds_sum ${this.latencySum}`);
    lines.push(`buildbell_ingest_to_send_seconds_count ${this.latencyCount}`);
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
