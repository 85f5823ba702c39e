/**
 * The relay's Prometheus metrics, through prom-client (what operators' Node services already
 * expose): deliveries by channel and outcome, events stored, acknowledgements stored and client
 * frames refused by code, clients, frames, ingest-to-send
 * latency, and the process and event-loop metrics of every Node service; with PostgreSQL the
 * connection pool too. Every series carries `instance`, so several relays read apart in one
 * dashboard. Label values come only from known sets or from existing channels, so a sender cannot
 * grow the label space by inventing channel names.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** What a storage with a connection pool reports (PostgreSQL). */
export interface PoolFigures {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export class RelayMetrics {
  private readonly registry = new Registry();
  private readonly deliveries = new Counter({ name: 'buildbell_deliveries_total', help: 'Webhook deliveries answered, by channel and outcome.', labelNames: ['channel', 'outcome'], registers: [this.registry] });
  private readonly stored = new Counter({ name: 'buildbell_events_stored_total', help: 'Events committed to the log by this instance (duplicates excluded).', registers: [this.registry] });
  private readonly clients = new Gauge({ name: 'buildbell_clients_connected', help: 'WebSocket clients connected to this instance now.', registers: [this.registry] });
  private readonly acknowledgements = new Counter({ name: 'buildbell_acknowledgements_stored_total', help: 'Acknowledgements ("I\'m on it" and withdrawals) committed through this instance.', registers: [this.registry] });
  private readonly refusedClientFrames = new Counter({ name: 'buildbell_client_frames_refused_total', help: 'Frames from stream clients refused, by the error code (rate_limited counts the dropped frames too).', labelNames: ['code'], registers: [this.registry] });
  private readonly frames = new Counter({ name: 'buildbell_frames_sent_total', help: 'Event frames handed to client sockets (each item of a replay\'s batch frame counts as one).', registers: [this.registry] });
  private readonly ingestToSend = new Histogram({
    name: 'buildbell_ingest_to_send_seconds',
    help: 'From receiving a webhook (on any instance) to sending its frame to the last live client here, once per event; across instances it includes their clock difference.',
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  /** @param pool the storage's connection pool figures, when it has a pool */
  constructor(pool?: () => PoolFigures) {
    collectDefaultMetrics({ register: this.registry });
    if (pool) {
      new Gauge({
        name: 'buildbell_database_connections',
        help: 'Database connections of this instance, by state (idle, busy, and requests waiting for one).',
        labelNames: ['state'],
        registers: [this.registry],
        collect() {
          const figures = pool();
          this.set({ state: 'idle' }, figures.idle);
          this.set({ state: 'busy' }, figures.total - figures.idle);
          this.set({ state: 'waiting' }, figures.waiting);
        },
      });
    }
  }

  /** Names this relay in every series (`instance`); the relay calls it once it listens. */
  nameInstance(instance: string): void {
    this.registry.setDefaultLabels({ instance });
  }

  /** One webhook answered: `channel` is an existing channel's name or `unknown`. */
  recordDelivery(channel: string, outcome: string): void {
    this.deliveries.inc({ channel, outcome });
  }

  recordStored(): void {
    this.stored.inc();
  }

  recordAcknowledgement(): void {
    this.acknowledgements.inc();
  }

  /** `code` is one of the protocol's error codes: a fixed set. */
  recordClientFrameRefused(code: string): void {
    this.refusedClientFrames.inc({ code });
  }

  recordFrames(count: number): void {
    this.frames.inc(count);
  }

  setClientsConnected(count: number): void {
    this.clients.set(count);
  }

  /** Time from receiving a webhook to handing its frame to a client's socket. */
  recordIngestToSend(seconds: number): void {
    this.ingestToSend.observe(seconds);
  }

  /** The Prometheus text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
