/**
 * Honest CI senders: a steady rate of distinct signed deliveries (Cirrus and GitHub) from
 * 127.0.0.1, each retried as a webhook sender would (after 429, 5xx or no answer) until it is
 * acknowledged or the senders are told to stop retrying. Records every answer's latency under the
 * phase it was sent in, and which deliveries were acknowledged (answered 2xx).
 */
import { agentFrom, post } from './post.js';
import { cirrusDelivery, githubDelivery, type SignedDelivery } from './deliveries.js';

export interface PhaseAnswers {
  readonly latenciesMs: number[];
  readonly statuses: Record<string, number>;
}

export interface HonestSenders {
  /** Build ids answered 2xx: these must reach every honest client. */
  readonly acknowledged: Set<string>;
  readonly attempted: Set<string>;
  /** Answers by the phase they were sent in. */
  readonly phases: Map<string, PhaseAnswers>;
  setPhase(name: string): void;
  /** Stops sending new deliveries; those in flight keep retrying until `giveUpAt`. */
  stop(giveUpAt: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startHonestSenders(port: number, options: { senders: number; perSecond: number; firstId: number }): HonestSenders {
  const agent = agentFrom('127.0.0.1', options.senders * 2);
  const acknowledged = new Set<string>();
  const attempted = new Set<string>();
  const phases = new Map<string, PhaseAnswers>();
  let phase = 'calm';
  let sending = true;
  let giveUpAt = Number.POSITIVE_INFINITY;
  let nextId = options.firstId;
  const answersOf = (name: string) => {
    let answers = phases.get(name);
    if (!answers) phases.set(name, (answers = { latenciesMs: [], statuses: {} }));
    return answers;
  };

  const deliver = async (delivery: SignedDelivery) => {
    attempted.add(delivery.buildId);
    while (Date.now() < giveUpAt) {
      const answers = answersOf(phase);
      const answer = await post(port, agent, '/hooks/acme', delivery.headers(), delivery.body);
      answers.latenciesMs.push(answer.ms);
      answers.statuses[answer.status] = (answers.statuses[answer.status] ?? 0) + 1;
      if (answer.status >= 200 && answer.status < 300) {
        acknowledged.add(delivery.buildId);
        return;
      }
      if (answer.status !== 0 && answer.status !== 429 && answer.status < 500) throw new Error(`an honest delivery was refused with ${answer.status}`);
      // Retry-After is honoured up to a second, so the run stays bounded in time.
      await sleep(Math.min(1000, (answer.retryAfterS ?? 0.2) * 1000));
    }
  };

  const intervalMs = 1000 / options.perSecond;
  const loops = Array.from({ length: options.senders }, async (_, index) => {
    let due = performance.now();
    while (sending) {
      const id = nextId;
      nextId += 1;
      // Half the senders are Cirrus, half GitHub, as an organisation using both would have.
      await deliver(index % 2 === 0 ? cirrusDelivery(id) : githubDelivery(id));
      due += intervalMs;
      await sleep(Math.max(0, due - performance.now()));
    }
  });
  const finished = Promise.all(loops);

  return {
    acknowledged, attempted, phases,
    setPhase(name) {
      phase = name;
    },
    async stop(until) {
      sending = false;
      giveUpAt = until;
      await finished;
      agent.destroy();
    },
  };
}
