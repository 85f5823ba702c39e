/**
 * `buildbell approve <build-id>` and `buildbell rerun <build-id>`: the notification buttons, from
 * a terminal. Both need a Cirrus token with WRITE permission (`--cirrus-token` or
 * `BUILDBELL_CIRRUS_TOKEN`); without one, Cirrus's refusal is explained with the fix.
 */
import { parseArgs } from 'node:util';
import { createCirrusApi } from '../../providers/cirrus/api/client.js';
import type { CirrusApi } from '../../providers/cirrus/api/client.js';
import { CirrusApiError } from '../../providers/cirrus/api/errors.js';
import { CIRRUS_API, CIRRUS_WEB, cirrusBuildUrl } from '../../providers/cirrus/links.js';
import type { CliIo, Command } from '../io.js';
import { UsageError } from '../io.js';
import { displayLine } from '../../core/text/displayText.js';

const options = {
  'cirrus-token': { type: 'string' },
  endpoint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const help = (name: string, what: string) => `usage: buildbell ${name} <build-id> [options]

${what}

options:
  --cirrus-token <t>   a Cirrus token with WRITE permission (default: $BUILDBELL_CIRRUS_TOKEN)
  --endpoint <url>     the Cirrus GraphQL API (default ${CIRRUS_API})
`;

interface Parsed { readonly buildId: string; readonly api: CirrusApi }

/** Parses the shared flags; undefined after printing --help. */
function parse(name: string, what: string, args: string[], io: CliIo): Parsed | undefined {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(help(name, what));
    return undefined;
  }
  const [buildId, ...extra] = positionals;
  if (buildId === undefined) throw new UsageError('which build? Give its id, e.g. buildbell ' + name + ' 5082236150611968');
  if (extra.length > 0) throw new UsageError(`one build id at a time, got ${positionals.length}`);
  if (!/^\d{1,40}$/.test(buildId)) throw new UsageError(`a Cirrus build id is digits (the number in ${CIRRUS_WEB}/build/<id>), not '${buildId}'`);
  const token = values['cirrus-token'] ?? io.env['BUILDBELL_CIRRUS_TOKEN'];
  try {
    return { buildId, api: createCirrusApi({ endpoint: values.endpoint ?? CIRRUS_API, ...(token ? { token } : {}) }) };
  } catch (error) {
    throw new UsageError(`--endpoint: ${(error as Error).message}`);
  }
}

/**
 * Runs an action; a Cirrus refusal or failure is one clear line on stderr and exit code 1. Both
 * lines carry text from the API (task names, its error messages): cleaned for the terminal.
 */
async function report(name: string, io: CliIo, action: () => Promise<string>): Promise<number> {
  try {
    io.stdout.write(`${displayLine(await action(), 2000)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof CirrusApiError)) throw error;
    io.stderr.write(`buildbell ${name}: ${displayLine(error.message, 2000)}\n`);
    return 1;
  }
}

export const approveCommand: Command = async (args, io) => {
  const parsed = parse('approve', 'Approves a Cirrus build waiting for approval (NEEDS_APPROVAL).', args, io);
  if (!parsed) return 0;
  return report('approve', io, async () => {
    const { status } = await parsed.api.approveBuild(parsed.buildId);
    return `Approved build ${parsed.buildId}: now ${status}. ${cirrusBuildUrl(parsed.buildId)}`;
  });
};

export const rerunCommand: Command = async (args, io) => {
  const parsed = parse('rerun', 'Re-runs the failed and aborted tasks of a Cirrus build (or retriggers a build that never got tasks).', args, io);
  if (!parsed) return 0;
  return report('rerun', io, async () => {
    const result = await parsed.api.rerunFailed(parsed.buildId);
    if (result.kind === 'retrigger') return `Build ${parsed.buildId} had no tasks; retriggered it: now ${result.status}. ${cirrusBuildUrl(parsed.buildId)}`;
    const names = result.tasks.map((task) => `${task.name} (${task.id})`).join(', ');
    return `Re-running ${result.tasks.length} task(s) of build ${parsed.buildId}: ${names}. ${cirrusBuildUrl(parsed.buildId)}`;
  });
};
