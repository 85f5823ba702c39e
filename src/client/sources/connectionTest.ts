/**
 * "Test connection" in the settings window: tries the source the user is about to save and
 * answers in one sentence, so a wrong URL or token is found before the tray goes quiet. Uses the
 * same relay client and Cirrus API client as the running app, so a pass here means the app will
 * connect the same way.
 */
import type { Logger } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import type { CirrusApi } from '../../providers/cirrus/api/client.js';
import type { GithubApi } from '../../providers/github/api/client.js';
import { createMemoryCursor } from './relay/cursorFile.js';
import { createRelaySource } from './relay/relayClient.js';
import { streamUrl } from './relay/streamUrl.js';

export type ConnectionTestTarget =
  | { readonly kind: 'demo' }
  | { readonly kind: 'relay'; readonly url: string; readonly token: string | undefined; readonly insecure?: boolean }
  | { readonly kind: 'cirrus'; readonly api: CirrusApi; readonly repositories: readonly string[] }
  | { readonly kind: 'github'; readonly api: GithubApi; readonly repositories: readonly string[] };

export interface ConnectionTestResult {
  readonly ok: boolean;
  /** One sentence for the user. */
  readonly message: string;
}

export interface ConnectionTestOptions {
  /** Give up after this long. Default 10 s. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export async function testConnection(target: ConnectionTestTarget, options: ConnectionTestOptions = {}): Promise<ConnectionTestResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  switch (target.kind) {
    case 'demo':
      return { ok: true, message: 'The demo runs on this computer: there is nothing to connect to.' };
    case 'relay':
      return testRelay(target, timeoutMs, options.logger ?? silentLogger);
    case 'cirrus':
      return testCirrus(target, timeoutMs);
    case 'github':
      return testGithub(target, timeoutMs);
  }
}

async function testRelay(target: Extract<ConnectionTestTarget, { kind: 'relay' }>, timeoutMs: number, logger: Logger): Promise<ConnectionTestResult> {
  if (target.token === undefined) return { ok: false, message: 'Enter the token the relay’s operator gave you.' };
  let url: string;
  try {
    url = streamUrl(target.url, undefined, { insecure: target.insecure === true });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const host = new URL(url).host;
  let settle: (result: ConnectionTestResult) => void = () => undefined;
  const answer = new Promise<ConnectionTestResult>((resolve) => (settle = resolve));
  const relay = createRelaySource({
    urls: [url],
    token: target.token,
    cursor: createMemoryCursor(),
    logger,
    backoff: { initialMs: timeoutMs * 2, maxMs: timeoutMs * 2 },
    handlers: {
      onEvent: () => undefined,
      onCatchUp: () => undefined,
      onGap: () => undefined,
      onConnection: (connection) => {
        if (connection.state === 'connected') settle({ ok: true, message: `Connected to the relay at ${host}: the token was accepted.` });
        if (connection.state === 'offline') settle({ ok: false, message: `Could not connect to the relay at ${host}: ${connection.reason}.` });
      },
    },
  });
  const timer = setTimeout(() => settle({ ok: false, message: `The relay at ${host} did not answer within ${Math.round(timeoutMs / 1000)} s.` }), timeoutMs);
  try {
    void relay.start().catch((error: Error) => settle({ ok: false, message: `Could not connect to the relay at ${host}: ${error.message}.` }));
    return await answer;
  } finally {
    clearTimeout(timer);
    await relay.stop();
  }
}

async function testGithub(target: Extract<ConnectionTestTarget, { kind: 'github' }>, timeoutMs: number): Promise<ConnectionTestResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const listings = await Promise.race([
      Promise.all(target.repositories.map(async (slug) => {
        const [owner = '', name = ''] = slug.split('/');
        return { slug, listing: await target.api.listRuns({ owner, name }, { perPage: 1 }) };
      })),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs))),
    ]);
    const missing = listings.filter(({ listing }) => listing.kind === 'not_found').map(({ slug }) => slug);
    if (missing.length > 0) {
      return { ok: false, message: `GitHub answered, but cannot see ${missing.join(', ')}: check the names, or use a token with access to them.` };
    }
    const count = listings.length;
    return { ok: true, message: `GitHub answered and sees ${count === 1 ? 'the repository' : `all ${count} repositories`}.` };
  } catch (error) {
    return { ok: false, message: `Could not reach GitHub: ${(error as Error).message}.` };
  } finally {
    clearTimeout(timer);
  }
}

async function testCirrus(target: Extract<ConnectionTestTarget, { kind: 'cirrus' }>, timeoutMs: number): Promise<ConnectionTestResult> {
  const repositories = target.repositories.map((slug) => {
    const [owner = '', name = ''] = slug.split('/');
    return { owner, name };
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const polled = await Promise.race([
      target.api.pollRepositories(repositories, 1),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs))),
    ]);
    const missing = polled.filter((repository) => repository.repository === null).map((repository) => `${repository.owner}/${repository.name}`);
    if (missing.length > 0) {
      return { ok: false, message: `The Cirrus API answered, but cannot see ${missing.join(', ')}: check the names, or use a token with access to them.` };
    }
    const count = polled.length;
    return { ok: true, message: `The Cirrus API answered and sees ${count === 1 ? 'the repository' : `all ${count} repositories`}.` };
  } catch (error) {
    return { ok: false, message: `Could not reach the Cirrus API: ${(error as Error).message}.` };
  } finally {
    clearTimeout(timer);
  }
}
