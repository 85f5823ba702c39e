/**
 * `buildbell send`: POSTs one signed sample delivery to a relay channel, as the "send a test
 * delivery" button of a CI would, and prints the relay's answer. A user checks a relay (its URL,
 * channel and secret) with nothing but the package.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { signCirrusPayload } from '../../providers/cirrus/signature.js';
import { signGithubPayload } from '../../providers/github/signature.js';
import type { SampleDelivery, SampleProvider } from '../../sim/samples.js';
import { SAMPLE_EVENT_TYPES, sampleDelivery } from '../../sim/samples.js';
import type { Command } from '../io.js';
import { UsageError } from '../io.js';

const HELP = `usage: buildbell send --relay <url>/hooks/<channel> --secret <s> [--provider cirrus|github] [--event <type>]

POSTs one signed sample delivery to a relay channel, as a CI's "send a test delivery" button
does, and prints the relay's answer, e.g. {"status":"stored","seq":1}. When the relay refuses
it, prints the status and the relay's reason and exits 1.

options:
  --relay <url>        the channel URL, e.g. http://127.0.0.1:8787/hooks/acme
  --secret <s>         the channel's webhook secret, which signs the delivery
  --provider <name>    cirrus or github (default cirrus)
  --event <type>       cirrus: ${SAMPLE_EVENT_TYPES.cirrus.join(', ')} (default ${SAMPLE_EVENT_TYPES.cirrus[0]})
                       github: ${SAMPLE_EVENT_TYPES.github.join(', ')} (default ${SAMPLE_EVENT_TYPES.github[0]})
`;

/** How long to wait for the relay's answer; a relay answers within GitHub's 10 s or not at all. */
const ANSWER_TIMEOUT_MS = 10_000;

/** Parsed `send` options. */
export interface SendOptions {
  readonly relayUrl: string;
  readonly secret: string;
  readonly provider: SampleProvider;
  readonly eventType: string;
}

const refusalSchema = z.object({ error: z.string() });

export const sendCommand: Command = async (args, io) => {
  const options = parseSendArgs(args);
  if (options === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const delivery = sampleDelivery(options.provider, options.eventType, Date.now())!;
  let response: Response;
  try {
    response = await fetch(options.relayUrl, {
      method: 'POST',
      headers: signedHeaders(options.provider, delivery, options.secret),
      body: delivery.body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    io.stderr.write(`buildbell send: could not reach ${options.relayUrl}: ${cause}\n`);
    return 1;
  }
  const text = await response.text();
  if (response.ok) {
    io.stdout.write(`${text.trim()}\n`);
    return 0;
  }
  let reason = text.trim().slice(0, 500);
  try {
    const refusal = refusalSchema.safeParse(JSON.parse(text));
    if (refusal.success) reason = refusal.data.error;
  } catch {
    // Not JSON (a proxy's error page): its text is the reason.
  }
  io.stderr.write(`buildbell send: the relay refused the ${options.eventType} delivery: ${response.status} ${reason}\n`);
  return 1;
};

/** Parses the flags; `'help'` for --help. Throws UsageError naming the bad flag. */
export function parseSendArgs(args: string[]): SendOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        relay: { type: 'string' },
        secret: { type: 'string' },
        provider: { type: 'string' },
        event: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (values.relay === undefined) throw new UsageError('--relay <url> is required, e.g. http://127.0.0.1:8787/hooks/acme');
  if (!URL.canParse(values.relay) || !/^https?:$/.test(new URL(values.relay).protocol)) {
    throw new UsageError(`--relay takes the channel URL, e.g. http://127.0.0.1:8787/hooks/acme, not '${values.relay}'`);
  }
  if (values.secret === undefined || values.secret === '') throw new UsageError("--secret <s> is required: the channel's webhook secret signs the delivery");
  const provider = values.provider ?? 'cirrus';
  if (provider !== 'cirrus' && provider !== 'github') throw new UsageError(`--provider takes cirrus or github, not '${provider}'`);
  const known: readonly string[] = SAMPLE_EVENT_TYPES[provider];
  const eventType = values.event ?? known[0]!;
  if (!known.includes(eventType)) throw new UsageError(`--event for ${provider} takes ${known.join(', ')}, not '${eventType}'`);
  return { relayUrl: values.relay, secret: values.secret, provider, eventType };
}

/** The headers the provider sends with a delivery, its signature over the exact body included. */
function signedHeaders(provider: SampleProvider, delivery: SampleDelivery, secret: string): Record<string, string> {
  const common = { 'content-type': 'application/json', 'user-agent': 'buildbell-send' };
  if (provider === 'github') {
    return {
      ...common,
      'x-github-event': delivery.eventType,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signGithubPayload(delivery.body, secret),
    };
  }
  return { ...common, 'x-cirrus-event': delivery.eventType, 'x-cirrus-signature': signCirrusPayload(delivery.body, secret) };
}
