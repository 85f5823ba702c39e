/**
 * The log of a simulated GitLab job, as a GitLab runner writes it and `GET .../jobs/:id/trace`
 * sends it: the runner's preamble, collapsible sections (`section_start:<time>:<name>\r\e[0K`,
 * GitLab's docs, "Custom collapsible sections"), ANSI colours, a download progress line redrawn
 * with carriage returns, the job's own output (a long test run, so a reader of the log's end must
 * not read it whole) and the runner's verdict. Made in chunks as they are sent, never held whole:
 * the demo runs the simulator inside the desktop app.
 */
import type { SimGitlabJob, SimGitlabPipeline } from './world.js';

const ESC = '\u001b';
const RESET = `${ESC}[0;m`;
const SECTION_TITLE = `${ESC}[36;1m`;
const COMMAND = `${ESC}[32;1m`;
const ERROR = `${ESC}[31;1m`;
/** Lines of test output of a job that runs tests: about a megabyte of log. */
const TEST_LINES = 12_000;
/** Lines per chunk handed to the socket. */
const LINES_PER_CHUNK = 500;

interface JobScript {
  readonly command: string;
  /** The output's lines, many of them. */
  readonly lines: (job: SimGitlabJob) => Iterable<string>;
  /** What the command prints when it fails. */
  readonly failure: readonly string[];
}

const SCRIPTS: Readonly<Record<string, JobScript>> = {
  lint: {
    command: 'npx eslint .',
    lines: () => [],
    failure: ['', '/builds/acme/web/src/checkout/cart.ts', "  42:7  error  'discount' is assigned a value but never used  @typescript-eslint/no-unused-vars", '', '✖ 1 problem (1 error, 0 warnings)'],
  },
  'unit tests': {
    command: 'npm test',
    lines: testLines,
    failure: [
      ` ${ERROR}FAIL${RESET}  test/checkout/cart.test.ts > applies the discount once`,
      'AssertionError: expected 81 to be 90 // Object.is equality',
      ' ❯ test/checkout/cart.test.ts:57:31',
      '',
      ` Test Files  ${ERROR}1 failed${RESET} | 239 passed (240)`,
      `      Tests  ${ERROR}1 failed${RESET} | ${TEST_LINES - 1} passed (${TEST_LINES})`,
    ],
  },
  package: {
    command: 'npm run build',
    lines: () => ['> web@1.4.0 build', '> tsc -p tsconfig.build.json'],
    failure: ["src/checkout/cart.ts(42,7): error TS2322: Type 'string' is not assignable to type 'number'."],
  },
};

const DEFAULT_SCRIPT: JobScript = { command: './deploy.sh', lines: () => ['Deploying to production…'], failure: ['deploy: the target refused the release'] };

/** The job's log so far, chunk by chunk: empty until it starts, without its end while it runs. */
export function* simJobTrace(pipeline: SimGitlabPipeline, job: SimGitlabJob): Generator<string> {
  if (job.startedAt === null) return;
  const started = Math.floor(job.startedAt / 1000);
  const script = SCRIPTS[job.name] ?? DEFAULT_SCRIPT;
  const image = 'node:20-bookworm';
  yield [
    `${ESC}[0KRunning with gitlab-runner 17.6.0 (3153ccc6)${RESET}`,
    `${ESC}[0K  on green-3.saas-linux-small-amd64.runners-manager.gitlab.com/default x5CjmVfS, system ID: s_deaa2ca09de7${RESET}`,
    `${sectionStart(started, 'prepare_executor')}${ESC}[0K${SECTION_TITLE}Preparing the "docker+machine" executor${RESET}${RESET}`,
    `${ESC}[0KUsing Docker executor with image ${image} ...${RESET}`,
    // A pull's progress, redrawn in place: the page shows only the last state.
    `${ESC}[0KPulling docker image ${image} ...\r${ESC}[0KPulling docker image ${image}: 34%\r${ESC}[0KPulling docker image ${image}: 100%${RESET}`,
    sectionEnd(started + 9, 'prepare_executor'),
    `${sectionStart(started + 9, 'get_sources')}${ESC}[0K${SECTION_TITLE}Getting source from Git repository${RESET}${RESET}`,
    `${COMMAND}Fetching changes with git depth set to 20...${RESET}`,
    `Checking out ${pipeline.sha.slice(0, 8)} as detached HEAD (ref is ${pipeline.ref})...`,
    sectionEnd(started + 12, 'get_sources'),
    `${sectionStart(started + 12, 'step_script')}${ESC}[0K${SECTION_TITLE}Executing "step_script" stage of the job script${RESET}${RESET}`,
    `${COMMAND}$ npm ci${RESET}`,
    'added 812 packages, and audited 813 packages in 14s',
    `${COMMAND}$ ${script.command}${RESET}`,
    '',
  ].join('\n');
  // A runner that fails under the job stops its output where it was: here, before the script's.
  const systemFailure = job.status === 'failed' && job.failureReason === 'runner_system_failure';
  let chunk: string[] = [];
  for (const line of systemFailure ? [] : script.lines(job)) {
    chunk.push(line);
    if (chunk.length === LINES_PER_CHUNK) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
  if (job.finishedAt === null) return;
  const finished = Math.floor(job.finishedAt / 1000);
  const failed = job.status === 'failed';
  const verdict = !failed
    ? [`${COMMAND}Job succeeded${RESET}`]
    : systemFailure
      ? [`${ERROR}ERROR: Job failed (system failure): prepare environment: exit status 1${RESET}`]
      : [`${ERROR}ERROR: Job failed: exit code 1${RESET}`];
  yield [
    ...(failed && !systemFailure ? script.failure : []),
    sectionEnd(finished - 2, 'step_script'),
    `${sectionStart(finished - 2, 'cleanup_file_variables')}${ESC}[0K${SECTION_TITLE}Cleaning up project directory and file based variables${RESET}${RESET}`,
    sectionEnd(finished - 1, 'cleanup_file_variables'),
    ...verdict,
    '',
  ].join('\n');
}

function sectionStart(time: number, name: string): string {
  return `${ESC}[0Ksection_start:${time}:${name}\r${ESC}[0K`;
}

function sectionEnd(time: number, name: string): string {
  return `${ESC}[0Ksection_end:${time}:${name}\r${ESC}[0K`;
}

function* testLines(job: SimGitlabJob): Generator<string> {
  for (let i = 0; i < TEST_LINES; i += 1) {
    const file = `test/module${String(i % 240).padStart(3, '0')}.test.ts`;
    yield ` ${COMMAND}✓${RESET} ${file} > case ${Math.floor(i / 240) + 1} of job ${job.id} ${ESC}[2m(${(i * 7) % 40} ms)${RESET}`;
  }
}
