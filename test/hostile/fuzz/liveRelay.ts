/**
 * A real `buildbell relay` child process for the fuzzer: a crash shows up as a dead process (with
 * its last words on stderr), not as an exception a test runner catches. Seeded with one channel,
 * a live token and a revoked one, so some fuzzed requests get past each check.
 */
import { openRelayDatabase } from '../../../src/relay/database.js';
import { TokenStore } from '../../../src/relay/tokens.js';
import { startRelayOnPort, type RelayProcess } from '../../reliability/relayProcess.js';
import { seedRelayDatabase, TEST_SECRET } from '../../support/relay.js';
import { makeTempDir } from '../../support/temp.js';
import { exchange } from '../wire.js';
import type { FuzzVocabulary } from './requestClasses.js';

export interface LiveRelay {
  readonly port: number;
  readonly vocabulary: FuzzVocabulary;
  /** Why the process is not running ('' while it is): exit code or signal, and its stderr's tail. */
  death(): string;
  /** True when the process runs and GET /healthz answers 200 within `timeoutMs`. */
  healthy(timeoutMs: number): Promise<boolean>;
  /** Why it is not healthy, after giving a dying process a moment to be reaped (its exit comes after the refused connection). */
  whyDown(): Promise<string>;
  /** Starts the relay again on the same port and file when it died (so shrinking can go on). */
  reviveIfDead(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLiveRelay(): Promise<LiveRelay> {
  const temp = makeTempDir('buildbell-fuzz-');
  const seeded = seedRelayDatabase(temp.dir, 'acme');
  const token = seeded.issueToken().token;
  const db = openRelayDatabase(seeded.file);
  const tokens = new TokenStore(db);
  const revoked = tokens.issue('acme', 'revoked', [], Date.now());
  tokens.revoke(revoked.info.id, Date.now());
  db.close();
  let relay: RelayProcess;
  try {
    // Stream upgrades from one address are limited to a burst of 200 by default: the fuzzer sends
    // hundreds, and an upgrade refused with 429 never reaches the token and cursor checks.
    relay = await startRelayOnPort(seeded.file, ['--stream-rate-address', '1000/100000']);
  } catch (error) {
    temp.remove();
    throw error;
  }
  const death = () => {
    const child = relay.current().child;
    if (child.exitCode === null && child.signalCode === null) return '';
    return `the relay exited (code ${child.exitCode}, signal ${child.signalCode}); stderr: ${relay.current().stderr().slice(-1500)}`;
  };
  return {
    port: relay.port,
    vocabulary: { channel: 'acme', token, revokedToken: revoked.token, secret: TEST_SECRET },
    death,
    async healthy(timeoutMs) {
      if (death() !== '') return false;
      const answer = await exchange(relay.port, 'GET /healthz HTTP/1.1\r\nHost: relay.test\r\nConnection: close\r\n\r\n', timeoutMs);
      return answer.status === 200 && death() === '';
    },
    async whyDown() {
      await Promise.race([relay.current().exited(), new Promise((resolve) => setTimeout(resolve, 2000))]);
      return death() || 'the process runs but /healthz did not answer 200';
    },
    async reviveIfDead() {
      if (death() !== '') await relay.killAndRestart();
    },
    async stop() {
      await relay.stop();
      temp.remove();
    },
  };
}
