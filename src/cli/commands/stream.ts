/**
 * `buildbell stream`: prints a relay's stream as JSON lines, one frame per line. For operators
 * checking a relay and its tokens by hand (the desktop and `watch` use the resuming client). It
 * does not ask for batch frames: each line is one frame as the relay sends it, event by event,
 * whatever the relay's age, and a person reading a replay gains nothing from fewer messages.
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { serverFrameSchema } from '../../core/protocol.js';
import { describeZodError } from '../../core/validation.js';
import type { Command } from '../io.js';
import { UsageError } from '../io.js';
import { streamUrl } from '../../client/sources/relay/streamUrl.js';
import { displayLine } from '../../core/text/displayText.js';
import { terminalSafeJson } from '../terminalJson.js';

const HELP = `usage: buildbell stream --relay <url> --token <token> [--after <seq>]

Prints every frame of the relay's stream as one JSON line until the relay closes it.

options:
  --relay <url>     the relay's base URL, e.g. ws://127.0.0.1:8787 (http:// works too)
  --token <token>   a client token from 'buildbell admin token add' (or $BUILDBELL_TOKEN)
  --after <seq>     replay stored events after this seq first (default: only new events)
  --insecure        accept ws:// or http:// to another machine, where the token travels in
                    cleartext (default: only to 127.0.0.0/8, ::1 and localhost)
`;

export const streamCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: {
      relay: { type: 'string' },
      token: { type: 'string' },
      after: { type: 'string' },
      insecure: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const token = values.token ?? io.env['BUILDBELL_TOKEN'];
  if (!values.relay) throw new UsageError('--relay <url> is required');
  if (!token) throw new UsageError('--token <token> is required (or set BUILDBELL_TOKEN)');
  if (values.after !== undefined && !/^\d+$/.test(values.after)) throw new UsageError('--after takes a seq, a whole number');
  let url: string;
  try {
    url = streamUrl(values.relay, values.after === undefined ? undefined : Number(values.after), { insecure: values.insecure === true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  return new Promise<number>((resolve) => {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    const stop = () => socket.close(1000);
    process.once('SIGINT', stop);
    socket.on('message', (data) => {
      const parsed = serverFrameSchema.safeParse(JSON.parse(String(data)));
      if (!parsed.success) io.stderr.write(`unexpected frame: ${displayLine(describeZodError(parsed.error))}\n`);
      else io.stdout.write(`${terminalSafeJson(parsed.data)}\n`);
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        io.stderr.write(`the relay refused the stream: ${response.statusCode} ${displayLine(body)}\n`);
        resolve(1);
      });
    });
    let failed = false;
    socket.on('error', (error) => {
      failed = true;
      io.stderr.write(`cannot reach the relay at ${url}: ${displayLine(error.message)}\n`);
      resolve(1);
    });
    socket.on('close', (code, reason) => {
      process.off('SIGINT', stop);
      // After an error the socket closes with 1006 too: the error already said what happened.
      if (code !== 1000 && !failed) io.stderr.write(`stream closed: ${describeClose(code, displayLine(reason.toString()))}\n`);
      resolve(code === 1000 || code === 1001 ? 0 : 1);
    });
  });
};

/** What a close code means, in words (the codes the relay and WebSocket itself use). */
const CLOSE_MEANINGS: Readonly<Record<number, string>> = {
  1001: 'the relay is shutting down',
  1006: 'the connection dropped without a closing handshake (the relay stopped or the network cut it)',
  1009: 'a frame was too large',
  1011: 'the relay hit an internal error',
  4001: 'the token was revoked',
  4008: 'this client read too slowly and was cut off; resume with --after <last seq>',
};

/** `1006: the connection dropped …`, with the relay's own reason when it gave one. */
export function describeClose(code: number, reason: string): string {
  const meaning = CLOSE_MEANINGS[code];
  return [`${code}`, meaning, reason || undefined].filter(Boolean).join(': ');
}
