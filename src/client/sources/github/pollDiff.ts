/**
 * What changed between two listings of GitHub workflow runs, as the normalised events a webhook
 * would have brought: a new run (`created`) and a run whose status, conclusion or attempt moved
 * (`updated`, with the status the previous poll saw). Pure functions: the poller does the I/O.
 */
import type { NormalisedEvent } from '../../../core/event.js';
import { normalisedEventSchema } from '../../../core/event.js';
import type { ListedRun } from '../../../providers/github/api/client.js';
import { githubRepository, githubRunBuild } from '../../../providers/github/normalise.js';

/** Everything the latest polls saw: runs by id, and the repositories that answered at all. */
export interface GithubPollSnapshot {
  readonly runs: ReadonlyMap<string, ListedRun>;
  /** `owner/name`, lower case, of each repository a listing could see. */
  readonly visible: ReadonlySet<string>;
}

/** A snapshot of per-repository listings; `null` marks a repository that could not be seen. */
export function githubSnapshotOf(listings: ReadonlyMap<string, readonly ListedRun[] | null>): GithubPollSnapshot {
  const runs = new Map<string, ListedRun>();
  const visible = new Set<string>();
  for (const [slug, listed] of listings) {
    if (listed === null) continue;
    visible.add(slug.toLowerCase());
    for (const entry of listed) runs.set(entry.run.id, entry);
  }
  return { runs, visible };
}

/**
 * The events between `previous` and `current`. A repository not visible in `previous` (the first
 * poll, or one that just became visible) is a baseline: its runs are history, not news.
 */
export function diffGithubSnapshots(previous: GithubPollSnapshot, current: GithubPollSnapshot, receivedAt: number): NormalisedEvent[] {
  const events: NormalisedEvent[] = [];
  for (const { repository, run } of current.runs.values()) {
    if (!previous.visible.has(`${repository.owner.login}/${repository.name}`.toLowerCase())) continue;
    const before = previous.runs.get(run.id)?.run;
    const changed = before === undefined || before.status !== run.status || before.conclusion !== run.conclusion || before.run_attempt !== run.run_attempt;
    if (!changed) continue;
    events.push(
      normalisedEventSchema.parse({
        // A run passes through the same status again on each attempt, so the attempt makes it unique.
        id: `poll:github:${run.id}:${run.run_attempt}:${run.status}:${run.conclusion ?? ''}`,
        provider: 'github',
        kind: 'build',
        action: before === undefined ? 'created' : 'updated',
        receivedAt,
        repository: githubRepository(repository),
        // The status the last poll saw is the one the run left: how the engine recognises a re-run.
        build: githubRunBuild(run, before?.status ?? null),
        task: null,
      }),
    );
  }
  return events;
}
