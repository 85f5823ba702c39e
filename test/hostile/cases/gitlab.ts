/**
 * The corpus's GitLab cases (issue #14): the Cirrus and GitHub trouble, in GitLab's shape. GitLab
 * sends the channel secret itself in X-Gitlab-Token (no signature), so the token cases stand for
 * the signature cases; a body under the other hook's header, ids as strings and past 2^53, a
 * project that is missing or whose path is not a path, and names of a megabyte.
 */
import { fixtureJson } from '../../support/fixtures.js';
import { TEST_SECRET } from '../../support/relay.js';
import { CHANNEL, jsonWithRaw, setPath, type HostileCase, type RawRequest } from '../corpus.js';

const ok = { status: 200, stored: true } as const;
const invalid = { status: 422, stored: false } as const;
const refused = { status: 401, stored: false } as const;

let nextPipelineId = 8_800_000;

/** A failed pipeline's hook (the project's own fixture) with a pipeline id no other case uses. */
function pipeline(): Record<string, unknown> {
  nextPipelineId += 1;
  return setPath(fixtureJson('gitlab/pipeline/failed.merge-request.json'), ['object_attributes', 'id'], nextPipelineId);
}

/** A failed job's hook with a job id no other case uses. */
function job(): Record<string, unknown> {
  nextPipelineId += 1;
  return setPath(fixtureJson('gitlab/job/failed.json'), ['build_id'], nextPipelineId);
}

function hook(body: string, event: 'Pipeline Hook' | 'Job Hook', token: string | null = TEST_SECRET): RawRequest {
  const headers: Array<readonly [string, string]> = [['Content-Type', 'application/json'], ['X-Gitlab-Event', event]];
  if (token !== null) headers.push(['X-Gitlab-Token', token]);
  return { method: 'POST', path: `/hooks/${CHANNEL}`, headers, body: Buffer.from(body) };
}

function entry(id: string, category: string, description: string, request: RawRequest, expect: HostileCase['expect']): HostileCase {
  return { id: `gitlab-${id}`, category, description: `GitLab: ${description}`, kind: 'http', request, expect };
}

/** JSON.stringify with ids past 2^53 written as the lossless parser read them (they are BigInt-like values). */
function json(value: Record<string, unknown>): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? Number(item) : item));
}

export function gitlabCases(): HostileCase[] {
  const tokens = 'bad and truncated signatures';
  const shapes = 'wrong types in every field';
  const numbers = 'huge numbers and ids past 2^53';
  const strings = 'strings of 1 MB';
  const missing = 'missing fields';
  const mb = 'x'.repeat(1_000_000);
  const withPipelineId = (raw: string) => jsonWithRaw(setPath(pipeline(), ['object_attributes', 'id'], '@RAW@'), raw);
  return [
    entry('token-missing', tokens, 'no X-Gitlab-Token', hook(json(pipeline()), 'Pipeline Hook', null), refused),
    entry('token-wrong', tokens, 'another secret in X-Gitlab-Token', hook(json(pipeline()), 'Pipeline Hook', 'not-the-channel-secret'), refused),
    entry('token-prefix', tokens, 'a token that is a prefix of the secret', hook(json(pipeline()), 'Pipeline Hook', TEST_SECRET.slice(0, -1)), refused),
    entry('token-extended', tokens, 'the secret with more after it', hook(json(pipeline()), 'Pipeline Hook', `${TEST_SECRET}x`), refused),
    entry('token-empty', tokens, 'an empty X-Gitlab-Token', hook(json(pipeline()), 'Pipeline Hook', ''), refused),
    entry('job-body-as-pipeline', shapes, 'a Job Hook body under the Pipeline Hook header', hook(json(job()), 'Pipeline Hook'), invalid),
    entry('pipeline-body-as-job', shapes, 'a Pipeline Hook body under the Job Hook header', hook(json(pipeline()), 'Job Hook'), invalid),
    entry('pipeline-id-digit-string', numbers, 'the pipeline id as a string of digits: taken as the id (the lossless parser gives long ids so)', hook(json(setPath(pipeline(), ['object_attributes', 'id'], '1544210988')), 'Pipeline Hook'), { ...ok, buildId: '1544210988' }),
    entry('pipeline-id-word', shapes, 'the pipeline id as a word', hook(json(setPath(pipeline(), ['object_attributes', 'id'], 'latest')), 'Pipeline Hook'), invalid),
    entry('pipeline-id-2^53+1', numbers, 'pipeline id 9007199254740993 is kept digit for digit', hook(withPipelineId('9007199254740993'), 'Pipeline Hook'), { ...ok, buildId: '9007199254740993' }),
    entry('pipeline-id-1e400', numbers, 'pipeline id 1e400', hook(withPipelineId('1e400'), 'Pipeline Hook'), invalid),
    entry('pipeline-id-fraction', numbers, 'pipeline id 77.5', hook(withPipelineId('77.5'), 'Pipeline Hook'), invalid),
    entry('project-missing', missing, 'a pipeline without its project', hook(json(setPath(pipeline(), ['project'], undefined)), 'Pipeline Hook'), invalid),
    entry('path-not-a-path', shapes, 'a path_with_namespace that is not group/project', hook(json(setPath(pipeline(), ['project', 'path_with_namespace'], 'web')), 'Pipeline Hook'), invalid),
    entry('path-traversal', shapes, 'a path_with_namespace of ../..', hook(json(setPath(pipeline(), ['project', 'path_with_namespace'], '../../etc')), 'Pipeline Hook'), invalid),
    entry('project-name-1MB', strings, 'a 1 MB project path', hook(json(setPath(pipeline(), ['project', 'path_with_namespace'], `acme/${mb}`)), 'Pipeline Hook'), invalid),
    entry('job-name-1MB', strings, 'a 1 MB job name', hook(json(setPath(job(), ['build_name'], mb)), 'Job Hook'), invalid),
    entry('title-1MB', strings, 'a 1 MB commit title: stored, cut to a line for notifications', hook(json(setPath(pipeline(), ['commit', 'title'], mb)), 'Pipeline Hook'), ok),
  ];
}
