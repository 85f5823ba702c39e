/** `buildbell relay`: serves webhooks and the stream until SIGINT or SIGTERM. */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { describeZodError } from '../../core/validation.js';
import { relayOptionsSchema } from '../../relay/options.js';
import { startRelay } from '../../relay/server.js';
import { describeStorage, isPostgresUrl, openStorage } from '../../relay/storage/openStorage.js';
import type { Command } from '../io.js';
import { UsageError } from '../io.js';
import { createStderrLogger } from '../logger.js';
import { removePidFile, writePidFile } from '../pidFile.js';
import { parseDuration, parsePort, parseSize } from '../units.js';
import { DEFAULT_DATABASE } from './defaults.js';

const HELP = `usage: buildbell relay [options]

Receives Cirrus CI, GitHub Actions and GitLab CI webhooks on POST /hooks/<channel> and streams
them to desktops on /stream.

options:
  --db <file|url>      the relay's SQLite file, or postgres://user:password@host/database for
                       several relays on one database (default ${DEFAULT_DATABASE}, or $BUILDBELL_DB)
  --port <n>           TCP port (default 8787; 0 picks a free one)
  --host <address>     interface to listen on (default 127.0.0.1)
  --max-body <size>    largest webhook body (default 1MiB)
  --retention <time>   how long events are kept for resuming clients (default 7d)
  --heartbeat <time>   ping interval for stream clients (default 30s)
  --hook-rate-address <rate/burst>    webhooks per second per sender address (default 500/5000)
  --hook-rate-channel <rate/burst>    signed webhooks per second per channel (default 500/5000)
  --stream-rate-address <rate/burst>  stream connections per second per address (default 20/200)
  --rate-limits off    no rate limits on webhooks and connections (benchmarks); over a limit the
                       relay answers 429
  --client-frame-rate <rate/burst>    frames ("I'm on it") one stream's client may send per second
                       (default 1/10); over it they are dropped with a rate_limited error frame.
                       Kept with --rate-limits off: it bounds what one client can add to the log
  --max-bodies-per-address <n>  webhook bodies one address may send at once (default 64)
  --max-streams-per-token <n>   streams one token may hold open at once (default 10)
  --instance-name <name>        this relay's name in its metrics (default <hostname>:<port>)
  --log-format text|json        log lines as text (default) or one JSON object a line
  --metrics-token <token>       serve GET /metrics to callers with this bearer token (or
                                $BUILDBELL_METRICS_TOKEN); without it /metrics is off
  --pid-file <file>             write the relay's process id there once it listens (removed when
                                it stops): 'kill -9 "$(cat <file>)"' reaches the relay, not npx

The relay stops (exit 1) if its database file is deleted or replaced while it runs.
`;

export const relayCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'max-body': { type: 'string' },
      retention: { type: 'string' },
      heartbeat: { type: 'string' },
      'hook-rate-address': { type: 'string' },
      'hook-rate-channel': { type: 'string' },
      'stream-rate-address': { type: 'string' },
      'rate-limits': { type: 'string' },
      'client-frame-rate': { type: 'string' },
      'max-bodies-per-address': { type: 'string' },
      'max-streams-per-token': { type: 'string' },
      'metrics-token': { type: 'string' },
      'instance-name': { type: 'string' },
      'log-format': { type: 'string' },
      'pid-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const database = values.db ?? io.env['BUILDBELL_DB'] ?? DEFAULT_DATABASE;
  const logFormat = values['log-format'] ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') throw new UsageError(`--log-format is text or json (got '${logFormat}')`);
  const logger = createStderrLogger(io.stderr, undefined, logFormat);
  let options;
  try {
    options = {
      database,
      host: values.host,
      port: values.port === undefined ? undefined : parsePort(values.port, '--port'),
      maxBodyBytes: values['max-body'] === undefined ? undefined : parseSize(values['max-body'], '--max-body'),
      retentionMs: values.retention === undefined ? undefined : parseDuration(values.retention, '--retention'),
      heartbeatMs: values.heartbeat === undefined ? undefined : parseDuration(values.heartbeat, '--heartbeat'),
      rateLimits: rateLimitFlags(values),
      clientFrames: values['client-frame-rate'] === undefined ? undefined : rateAndBurst(values['client-frame-rate'], '--client-frame-rate'),
      maxBodiesPerAddress: wholeNumber(values['max-bodies-per-address'], '--max-bodies-per-address'),
      maxStreamsPerToken: wholeNumber(values['max-streams-per-token'], '--max-streams-per-token'),
      metricsToken: metricsToken(values['metrics-token'] ?? io.env['BUILDBELL_METRICS_TOKEN']),
      instanceName: values['instance-name'],
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // Limits the flags parse but the relay refuses (a port over 65535, a limit too large): say which, not a schema dump.
  const checked = relayOptionsSchema.safeParse(options);
  if (!checked.success) throw new UsageError(describeZodError(checked.error).replace(/^(\w+)(?=:)/, (key) => FLAG_OF_OPTION[key] ?? key));
  await warnWithoutChannels(database, logger);
  let failed: (() => void) | undefined;
  const relay = await startRelay(options, { logger, onFatal: () => failed?.() });
  io.stdout.write(`buildbell relay listening on ${relay.url} (webhooks: ${relay.url}/hooks/<channel>, stream: ${relay.url.replace(/^http/, 'ws')}/stream)\n`);
  // Written once listening, so a script can wait for the file before sending anything.
  if (values['pid-file'] !== undefined) writePidFile(values['pid-file']);

  const exitCode = await new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      logger.info('shutting down', { signal });
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(0);
    };
    // A relay that can no longer store what it acknowledges must not look healthy to a supervisor.
    failed = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(1);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  await relay.close();
  if (values['pid-file'] !== undefined) removePidFile(values['pid-file']);
  logger.info('stopped');
  return exitCode;
};

/** The flag that sets each relay option, for messages about a value the relay refuses. */
const FLAG_OF_OPTION: Record<string, string> = {
  database: '--db', host: '--host', port: '--port', maxBodyBytes: '--max-body', retentionMs: '--retention',
  heartbeatMs: '--heartbeat', maxBodiesPerAddress: '--max-bodies-per-address', maxStreamsPerToken: '--max-streams-per-token',
  metricsToken: '--metrics-token', instanceName: '--instance-name', clientFrames: '--client-frame-rate',
};

function metricsToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (token.length < 16) throw new Error('--metrics-token needs at least 16 characters: it guards channel names and traffic figures');
  return token;
}

function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${flag} takes a whole number of at least 1 (got '${text}')`);
  return Number(text);
}

type RateFlags = Partial<Record<'hook-rate-address' | 'hook-rate-channel' | 'stream-rate-address' | 'rate-limits', string>>;

/** `--rate-limits off` turns them off; each `--*-rate-*` flag overrides one rule; the rest keep their defaults. */
function rateLimitFlags(values: RateFlags) {
  if (values['rate-limits'] !== undefined) {
    if (values['rate-limits'] !== 'off') throw new Error(`--rate-limits takes only 'off' (got '${values['rate-limits']}'); set each limit with --hook-rate-address and the like`);
    return null;
  }
  const rule = (flag: keyof RateFlags) => {
    const text = values[flag];
    return text === undefined ? undefined : rateAndBurst(text, `--${flag}`);
  };
  return { hookPerAddress: rule('hook-rate-address'), hookPerChannel: rule('hook-rate-channel'), streamPerAddress: rule('stream-rate-address') };
}

/** A token bucket as a flag gives it: `<per second>/<burst>`, e.g. 500/5000 or 0.5/10. */
function rateAndBurst(text: string, flag: string): { perSecond: number; burst: number } {
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(text);
  if (!match || Number(match[1]) <= 0 || Number(match[2]) < 1) throw new Error(`${flag} is <per second>/<burst>, e.g. 500/5000 (got '${text}')`);
  return { perSecond: Number(match[1]), burst: Number(match[2]) };
}

async function warnWithoutChannels(database: string, logger: ReturnType<typeof createStderrLogger>): Promise<void> {
  if (isPostgresUrl(database) || existsSync(database)) {
    const storage = await openStorage(database);
    const count = (await storage.listChannels()).length;
    await storage.close();
    if (count > 0) return;
  }
  logger.warn(`no channels in ${describeStorage(database)} yet: every webhook will get 401 until you run 'buildbell admin channel add <name> --secret <secret> --db ${describeStorage(database)}'`);
}
