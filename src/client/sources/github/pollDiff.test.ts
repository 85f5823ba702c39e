import { describe, expect, it } from 'vitest';
import type { ListedRun } from '../../../providers/github/api/client.js';
import { githubRepositorySchema, githubRunSchema } from '../../../providers/github/payload.js';
import { diffGithubSnapshots, githubSnapshotOf } from './pollDiff.js';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5);

function repository(slug: string, isPrivate = false) {
  const [owner, name] = slug.split('/') as [string, string];
  return githubRepositorySchema.parse({ id: 700 + name.length, name, owner: { login: owner }, private: isPrivate, html_url: `https://github.com/${slug}` });
}

/** A listed run as the REST client hands it over (parsed with the same schema). */
function listed(slug: string, id: number, status: string, conclusion: string | null = null, attempt = 1): ListedRun {
  return {
    repository: repository(slug),
    run: githubRunSchema.parse({
      id, status, conclusion, run_attempt: attempt, name: 'CI', display_title: `run ${id}`, head_branch: 'main', head_sha: 'abc123',
      html_url: `https://github.com/${slug}/actions/runs/${id}`, actor: { login: 'octocat' }, pull_requests: [],
    }),
  };
}

function snapshot(listings: Record<string, ListedRun[] | null>) {
  return githubSnapshotOf(new Map(Object.entries(listings)));
}

/** The events between two listings, as `[run id, action, status, previousStatus, state]`. */
function changes(before: Record<string, ListedRun[] | null>, after: Record<string, ListedRun[] | null>) {
  return diffGithubSnapshots(snapshot(before), snapshot(after), AT).map((e) => [e.build.id, e.action, e.build.status, e.build.previousStatus, e.build.state]);
}

describe('githubSnapshotOf', () => {
  it('keeps runs by id and the visible repositories in lower case; a null listing is invisible and contributes no runs', () => {
    const result = snapshot({ 'Acme/Web': [listed('acme/web', 1, 'queued'), listed('acme/web', 2, 'completed', 'success')], 'acme/secret': null });
    expect([...result.visible]).toEqual(['acme/web']);
    expect([...result.runs.keys()]).toEqual(['1', '2']);
    expect(result.runs.get('2')?.run.conclusion).toBe('success');
  });
});

describe('diffGithubSnapshots', () => {
  const web = 'acme/web';
  it.each<[string, Record<string, ListedRun[] | null>, Record<string, ListedRun[] | null>, unknown[][]]>([
    ['the first poll is a baseline: nothing is news', {}, { [web]: [listed(web, 1, 'in_progress')] }, []],
    ['a repository that just became visible is a baseline too', { [web]: null }, { [web]: [listed(web, 1, 'completed', 'failure')] }, []],
    ['nothing moved: no event', { [web]: [listed(web, 1, 'in_progress')] }, { [web]: [listed(web, 1, 'in_progress')] }, []],
    ['a run that fell off the listing says nothing', { [web]: [listed(web, 1, 'in_progress')] }, { [web]: [] }, []],
    ['a new run is created, with no previous status', { [web]: [] }, { [web]: [listed(web, 5, 'queued')] }, [['5', 'created', 'queued', null, 'queued']]],
    ['a status change updates it, saying the status the last poll saw',
      { [web]: [listed(web, 5, 'queued')] }, { [web]: [listed(web, 5, 'in_progress')] }, [['5', 'updated', 'in_progress', 'queued', 'running']]],
    ['a finished run: the conclusion gives the state',
      { [web]: [listed(web, 5, 'in_progress')] }, { [web]: [listed(web, 5, 'completed', 'failure')] }, [['5', 'updated', 'completed', 'in_progress', 'failed']]],
    ['a fork run held for approval is needs_approval',
      { [web]: [listed(web, 5, 'queued')] }, { [web]: [listed(web, 5, 'completed', 'action_required')] }, [['5', 'updated', 'completed', 'queued', 'needs_approval']]],
    ['a conclusion change alone is news',
      { [web]: [listed(web, 5, 'completed', 'action_required')] }, { [web]: [listed(web, 5, 'completed', 'cancelled')] }, [['5', 'updated', 'completed', 'completed', 'aborted']]],
    ['a re-run that finished between two polls is told by its attempt, leaving completed',
      { [web]: [listed(web, 5, 'completed', 'failure', 1)] }, { [web]: [listed(web, 5, 'completed', 'success', 2)] }, [['5', 'updated', 'completed', 'completed', 'passed']]],
    ['a re-run with the same outcome again is still news (a new attempt)',
      { [web]: [listed(web, 5, 'completed', 'failure', 1)] }, { [web]: [listed(web, 5, 'completed', 'failure', 2)] }, [['5', 'updated', 'completed', 'completed', 'failed']]],
    ['one repository visible before, one new: only the first one has news',
      { [web]: [], 'acme/api': null },
      { [web]: [listed(web, 7, 'queued')], 'acme/api': [listed('acme/api', 8, 'queued')] },
      [['7', 'created', 'queued', null, 'queued']]],
    ['visibility is matched without regard to case (settings say acme/web, GitHub says Acme/WEB)',
      { [web]: [] }, { [web]: [listed('Acme/WEB', 9, 'queued')] }, [['9', 'created', 'queued', null, 'queued']]],
  ])('%s', (_name, before, after, expected) => {
    expect(changes(before, after)).toEqual(expected);
  });

  it('gives each event the provider, the repository, the run page, the poll time and an id unique per attempt, status and conclusion', () => {
    const [event] = diffGithubSnapshots(snapshot({ [web]: [] }), snapshot({ [web]: [listed(web, 5, 'completed', 'failure', 2)] }), AT);
    expect(event).toMatchObject({
      id: 'poll:github:5:2:completed:failure',
      provider: 'github',
      kind: 'build',
      receivedAt: AT,
      repository: { owner: 'acme', name: 'web', private: false },
      build: { id: '5', url: 'https://github.com/acme/web/actions/runs/5', title: 'run 5', branch: 'main', sha: 'abc123', initiator: 'octocat' },
      task: null,
    });
    const ids = [
      listed(web, 5, 'completed', 'failure', 1),
      listed(web, 5, 'completed', 'failure', 2),
      listed(web, 5, 'completed', 'success', 2),
      listed(web, 5, 'in_progress', null, 2),
    ].map((run) => diffGithubSnapshots(snapshot({ [web]: [] }), snapshot({ [web]: [run] }), AT)[0]!.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[3]).toBe('poll:github:5:2:in_progress:');
  });

  it('reports every changed run of a listing, in listing order', () => {
    const before = { [web]: [listed(web, 2, 'queued'), listed(web, 1, 'in_progress')] };
    const after = { [web]: [listed(web, 3, 'queued'), listed(web, 2, 'in_progress'), listed(web, 1, 'in_progress')] };
    expect(changes(before, after).map(([id, action]) => `${id}:${action}`)).toEqual(['3:created', '2:updated']);
  });
});
