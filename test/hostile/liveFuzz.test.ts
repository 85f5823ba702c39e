/**
 * The corpus learns classes, not strings (issue 10): fast-check writes raw request lines, targets,
 * header sets and WebSocket upgrades to a live relay process and, after every case, the relay must
 * have answered or closed the connection within a bound and still be up (its process running,
 * /healthz answering 200). A crash is a dead child process, so nothing in the test runner can
 * hide it. Seeded: a failure prints the seed; BUILDBELL_FUZZ_SEED=<seed> replays that run, and
 * BUILDBELL_FUZZ_RUNS=<n> makes a longer one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStartedProcesses } from '../support/processes.js';
import { startLiveRelay, type LiveRelay } from './fuzz/liveRelay.js';
import { probe } from './fuzz/probe.js';
import { fuzzRequest } from './fuzz/requestClasses.js';

const seed = Number(process.env['BUILDBELL_FUZZ_SEED'] ?? (Date.now() ^ (Math.random() * 0x7fffffff)));
const runs = Number(process.env['BUILDBELL_FUZZ_RUNS'] ?? 1000);
/** Generous for a loaded 2-core machine: the relay answers these in milliseconds when idle. */
const BOUNDS = { openMs: 200, answerMs: 5000 };
const HEALTH_MS = 5000;

let relay: LiveRelay;

beforeAll(async () => {
  relay = await startLiveRelay();
}, 30_000);

afterAll(async () => {
  await relay?.stop();
  await killStartedProcesses();
});

describe('a live relay process given fuzzed raw requests', () => {
  it(`answers or closes every one within ${BOUNDS.answerMs / 1000} s and stays up (seed ${seed})`, async () => {
    const outcomes = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(fuzzRequest(relay.vocabulary), async (request) => {
          // A case that killed the relay is shrunk on a fresh one: same port, same file.
          await relay.reviveIfDead();
          const outcome = await probe(relay.port, request, BOUNDS);
          const key = outcome.kind === 'answered' ? String(outcome.status) : outcome.kind;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          const up = await relay.healthy(HEALTH_MS);
          if (!up) throw new Error(`the relay is down after ${request.label}: ${await relay.whyDown()}`);
          if (outcome.kind === 'silent') throw new Error(`no answer and no close ${outcome.afterMs} ms after ${request.label}`);
          // A 500 is an exception the pipeline did not expect: caught this time, a crash elsewhere.
          if (outcome.kind === 'answered' && outcome.status === 500) throw new Error(`500 after ${request.label}`);
        }),
        // Shrinking restarts a dead relay for every candidate: cap it so a failure still ends in time.
        { seed, numRuns: runs, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: false, includeErrorInReport: true },
      );
    } catch (error) {
      throw new Error(`fuzz failure; replay with BUILDBELL_FUZZ_SEED=${seed}\n${(error as Error).message}`);
    }
    console.log(`live fuzz (seed ${seed}, ${runs} cases): ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
    // The generators must reach past the parser: some upgrades accepted, some requests routed.
    expect(outcomes.get('101') ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].filter((status) => /^[2-5]\d\d$/.test(status)).length).toBeGreaterThan(4);
  }, 150_000);
});
