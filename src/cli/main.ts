/** The `buildbell` command: picks the subcommand and hands it the arguments. Nothing else. */
import { readFileSync } from 'node:fs';
import { displayLine } from '../core/text/displayText.js';
import type { CliIo, Command } from './io.js';
import { processIo, UsageError } from './io.js';

const USAGE = `usage: buildbell <command> [options]

commands:
  relay       serve CI webhooks (Cirrus CI, GitHub Actions, GitLab CI) and stream them to desktops
  admin       manage the relay's channels and tokens
  stream      print a relay's stream as JSON lines (for checking a relay by hand)
  watch       desktop notifications from a terminal: from a relay, the Cirrus or GitHub API, or the demo
  simulate    run a simulated CI (Cirrus CI, or GitHub Actions with --provider github)
  send        POST one signed sample delivery to a relay channel and print its answer
  approve     approve a Cirrus build waiting for approval
  rerun       re-run the failed tasks of a Cirrus build

  help <command>   a command's options (the same as buildbell <command> --help)
  --version        the version of buildbell

Run 'buildbell <command> --help' for a command's options.`;

/** Each command is loaded only when called, so `buildbell admin` never starts what `watch` needs. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  relay: async () => (await import('./commands/relay.js')).relayCommand,
  admin: async () => (await import('./commands/admin.js')).adminCommand,
  stream: async () => (await import('./commands/stream.js')).streamCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand,
  simulate: async () => (await import('./commands/simulate.js')).simulateCommand,
  send: async () => (await import('./commands/send.js')).sendCommand,
  approve: async () => (await import('./commands/actions.js')).approveCommand,
  rerun: async () => (await import('./commands/actions.js')).rerunCommand,
};

/** The package's version, from the package.json two folders up (from src/cli and dist/cli alike). */
export function buildbellVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * Runs `buildbell <argv>` and returns the exit code: 0 done, 1 failed, 2 a usage error (with the
 * hint to the command's help). An unexpected error is one cleaned line on stderr, not a trace.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [first, ...afterFirst] = argv;
  if (first === '--version' || first === '-V' || first === 'version') {
    io.stdout.write(`buildbell ${buildbellVersion()}\n`);
    return 0;
  }
  // `buildbell help watch` is `buildbell watch --help`.
  const [name, ...rest] = first === 'help' && afterFirst.length > 0 ? [afterFirst[0]!, '--help'] : [first, ...afterFirst];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`buildbell: unknown command '${displayLine(name)}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    // node:util parseArgs throws a TypeError with an ERR_PARSE_ARGS_* code for an unknown or malformed flag.
    const parseError = typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('ERR_PARSE_ARGS');
    if (error instanceof UsageError || parseError) {
      io.stderr.write(`buildbell ${name}: ${displayLine((error as Error).message, 2000)}\nRun 'buildbell ${name} --help' for usage.\n`);
      return 2;
    }
    io.stderr.write(`buildbell ${name}: ${displayLine(error instanceof Error ? error.message : String(error), 2000)}\n`);
    return 1;
  }
}
