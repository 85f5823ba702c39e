/**
 * The soak's unauthenticated-abuse phase (issue 10): honest Cirrus and GitHub senders and honest
 * stream clients run through a calm phase and then an abuse phase beside malformed requests,
 * stalled 1 MiB bodies to channels that do not exist, replays of captured signed deliveries and
 * non-reading `?after=0` streams. It reports what the relay did, whatever that is: acknowledged
 * deliveries lost, peak RSS per phase, honest latency per phase, what each attacker was answered.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { silentLogger } from '../../src/core/ports.js';
import { createMemoryCursor } from '../../src/client/sources/relay/cursorFile.js';
import { createRelaySource, type RelaySource } from '../../src/client/sources/relay/relayClient.js';
import { streamUrl } from '../../src/client/sources/relay/streamUrl.js';
import { ChannelSecrets } from '../../src/relay/channels.js';
import type { NewLogEntry } from '../../src/relay/eventLog.js';
import { admitDelivery } from '../../src/relay/ingest.js';
import { SqliteStorage } from '../../src/relay/storage/sqliteStorage.js';
import { seedRelayDatabase } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';
import { malformedRequests, nonReadingStreams, replays, stalledBodies, type Attacker } from './abuse/attackers.js';
import { cirrusDelivery, githubDelivery } from './abuse/deliveries.js';
import { startHonestSenders, type PhaseAnswers } from './abuse/honestSenders.js';
import { agentFrom, post } from './abuse/post.js';
import { startRelayOnPort } from './relayProcess.js';

export interface AbuseOptions {
  /** Seconds of honest traffic alone, then seconds of honest traffic beside the abuse. */
  readonly calmSeconds: number;
  readonly abuseSeconds: number;
  /** Events already in the log, so `?after=0` streams have something to replay. */
  readonly prefilled: number;
  readonly honestSenders: number;
  /** Deliveries a second per honest sender. */
  readonly honestPerSecond: number;
  readonly honestClients: number;
  readonly stalledBodies: number;
  readonly nonReadingStreams: number;
  /** Attempts a second of each replayer (Cirrus and GitHub). */
  readonly replaysPerSecond: number;
  readonly malformedPerSecond: number;
  readonly log?: (line: string) => void;
}

export interface PhaseFigures {
  readonly answers: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
  readonly peakRssMb: number;
  /**
   * p99 delay of this process's own event loop: the attackers run in the same process as the
   * honest senders, so a busy harness shows up in the honest latencies too. Read them together.
   */
  readonly harnessLoopDelayP99Ms: number;
}

export interface AbuseFigures {
  readonly sent: number;
  readonly acknowledged: number;
  /** Acknowledged honest deliveries some honest client never received (summed over clients). */
  readonly lost: number;
  readonly calm: PhaseFigures;
  readonly abuse: PhaseFigures;
  /** abuse p99 / calm p99 of the honest senders' answers (goal: at most 2). */
  readonly p99Ratio: number;
  readonly peakRssMb: number;
  /** Times each honest client received the replayed GitHub delivery (1 when replays are deduplicated). */
  readonly githubReplayStored: number;
  /** Stream clients the relay still held at the end of the abuse phase (honest ones included). */
  readonly clientsAtAbuseEnd: number;
  readonly attackers: Record<string, Record<string, number>>;
  readonly durationMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: readonly number[], p: number) => values.length === 0 ? 0 : [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const round = (value: number) => Math.round(value * 100) / 100;

/** The relay's own count of open streams (its /metrics gauge); -1 when it cannot be read. */
async function streamsHeld(url: string, metricsToken: string): Promise<number> {
  try {
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    return Number(/^buildbell_clients_connected(?:\{[^}]*\})? (\d+)$/m.exec(text)?.[1] ?? -1);
  } catch {
    return -1;
  }
}

/** Fills the log through the pipeline before the relay starts: the same rows, in one transaction. */
async function prefill(file: string, count: number): Promise<void> {
  const storage = new SqliteStorage(file);
  try {
    const channels = new ChannelSecrets((name) => storage.channelSecret(name));
    const entries: NewLogEntry[] = [];
    for (let id = 1; id <= count; id += 1) {
      const delivery = cirrusDelivery(900_000_000 + id);
      const admitted = await admitDelivery({ channel: 'acme', headers: delivery.headers(), body: delivery.body, receivedAt: Date.now() }, { channels });
      if (admitted.kind === 'commit') entries.push(admitted.entry);
    }
    await storage.append(entries);
  } finally {
    await storage.close();
  }
}

export async function runAbuseScenario(options: AbuseOptions): Promise<AbuseFigures> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const temp = makeTempDir('buildbell-abuse-');
  const seeded = seedRelayDatabase(temp.dir, 'acme');
  await prefill(seeded.file, options.prefilled);
  const attackerToken = seeded.issueToken().token;
  // Every default, rate limits included: the phase measures the relay as it is deployed. The
  // metrics token only lets the scenario read how many streams the relay holds.
  const metricsToken = randomBytes(24).toString('hex');
  const relay = await startRelayOnPort(seeded.file, ['--metrics-token', metricsToken]);
  const peak = { calm: 0, abuse: 0, all: 0 };
  let phase: 'calm' | 'abuse' | 'drain' = 'calm';
  const sampler = setInterval(() => {
    const rss = relay.rssMb();
    if (phase !== 'drain') peak[phase] = Math.max(peak[phase], rss);
    peak.all = Math.max(peak.all, rss);
  }, 100);
  const sources: RelaySource[] = [];
  const received: Array<Map<string, number>> = [];
  const attackers: Attacker[] = [];
  const captured = { cirrus: cirrusDelivery(800_000_001), github: githubDelivery(800_000_002) };
  try {
    for (let i = 0; i < options.honestClients; i += 1) {
      const counts = new Map<string, number>();
      received.push(counts);
      const source = createRelaySource({
        urls: [streamUrl(relay.url)], token: seeded.issueToken().token, cursor: createMemoryCursor(options.prefilled), logger: silentLogger,
        backoff: { initialMs: 50, maxMs: 1000 },
        handlers: {
          onEvent: (event) => counts.set(String(event.build.id), (counts.get(String(event.build.id)) ?? 0) + 1),
          onCatchUp: () => undefined, onGap: () => undefined, onConnection: () => undefined,
        },
      });
      await source.start();
      sources.push(source);
    }
    // What an attacker captured was genuine once: delivered and acknowledged before the abuse.
    const once = agentFrom('127.0.0.1', 1);
    for (const delivery of [captured.cirrus, captured.github]) {
      const answer = await post(relay.port, once, '/hooks/acme', delivery.headers(), delivery.body);
      if (answer.status !== 200) throw new Error(`the ${delivery.provider} delivery to capture got ${answer.status}`);
    }
    once.destroy();
    const honest = startHonestSenders(relay.port, { senders: options.honestSenders, perSecond: options.honestPerSecond, firstId: 1 });
    log(`calm phase: ${options.calmSeconds} s`);
    const calmLoop = monitorEventLoopDelay({ resolution: 10 });
    calmLoop.enable();
    await sleep(options.calmSeconds * 1000);
    calmLoop.disable();

    phase = 'abuse';
    honest.setPhase('abuse');
    log(`abuse phase: ${options.abuseSeconds} s`);
    attackers.push(
      malformedRequests(relay.port, options.malformedPerSecond, 10),
      stalledBodies(relay.port, options.stalledBodies),
      replays(relay.port, captured.cirrus, '127.0.0.2', options.replaysPerSecond),
      replays(relay.port, captured.github, '127.0.0.3', options.replaysPerSecond),
      nonReadingStreams(relay.port, attackerToken, options.nonReadingStreams),
    );
    const abuseLoop = monitorEventLoopDelay({ resolution: 10 });
    abuseLoop.enable();
    await sleep(options.abuseSeconds * 1000);
    abuseLoop.disable();
    const clientsAtAbuseEnd = await streamsHeld(relay.url, metricsToken);
    phase = 'drain';
    await Promise.all(attackers.map((attacker) => attacker.stop()));
    log('drain: honest retries finish, clients catch up');
    await honest.stop(Date.now() + 30_000);

    const missing = () => received.reduce((sum, counts) => sum + [...honest.acknowledged].filter((id) => !counts.has(id)).length, 0);
    for (let waited = 0; waited < 60_000 && missing() > 0; waited += 100) await sleep(100);
    const phaseFigures = (answers: PhaseAnswers | undefined, peakRssMb: number, loop: { percentile(p: number): number }): PhaseFigures => ({
      answers: answers?.latenciesMs.length ?? 0,
      p50Ms: round(percentile(answers?.latenciesMs ?? [], 0.5)),
      p99Ms: round(percentile(answers?.latenciesMs ?? [], 0.99)),
      statuses: answers?.statuses ?? {},
      peakRssMb: round(peakRssMb),
      harnessLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
    });
    const calm = phaseFigures(honest.phases.get('calm'), peak.calm, calmLoop);
    const abuse = phaseFigures(honest.phases.get('abuse'), peak.abuse, abuseLoop);
    return {
      sent: honest.attempted.size,
      acknowledged: honest.acknowledged.size,
      lost: missing(),
      calm, abuse,
      p99Ratio: round(abuse.p99Ms / Math.max(0.01, calm.p99Ms)),
      peakRssMb: round(peak.all),
      githubReplayStored: Math.max(0, ...received.map((counts) => counts.get(captured.github.buildId) ?? 0)),
      clientsAtAbuseEnd,
      attackers: Object.fromEntries(attackers.map((attacker) => [attacker.name, attacker.answers])),
      durationMs: Date.now() - started,
    };
  } finally {
    clearInterval(sampler);
    await Promise.all(attackers.map((attacker) => attacker.stop()));
    await Promise.all(sources.map((source) => source.stop()));
    await relay.stop();
    temp.remove();
  }
}
