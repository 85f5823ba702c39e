/**
 * "Test connection" for a GitLab source: asks the API for each project, as the poller's first
 * round does, and answers in one sentence (what GitLab could not see, or why it could not be
 * reached), so a wrong path, host or token is found before the tray goes quiet. Shaped as the
 * other sources' tests in ../connectionTest.ts, for the session to route `kind: 'gitlab'` here.
 */
import type { GitlabApi } from '../../../providers/gitlab/api/client.js';
import { GitlabPermissionError } from '../../../providers/gitlab/api/errors.js';
import type { ConnectionTestResult } from '../connectionTest.js';

export interface GitlabConnectionTarget {
  readonly api: Pick<GitlabApi, 'getProject'>;
  /** Each project's full path. */
  readonly repositories: readonly string[];
}

/** @param timeoutMs give up after this long (default 10 s) */
export async function testGitlabConnection(target: GitlabConnectionTarget, timeoutMs = 10_000): Promise<ConnectionTestResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const lookups = await Promise.race([
      Promise.all(target.repositories.map(async (path) => ({ path, lookup: await target.api.getProject(path) }))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs))),
    ]);
    const missing = lookups.filter(({ lookup }) => lookup.kind === 'not_found').map(({ path }) => path);
    if (missing.length > 0) {
      return { ok: false, message: `GitLab answered, but cannot see ${missing.join(', ')}: check the paths, or use a token with the read_api scope of a member.` };
    }
    const count = lookups.length;
    return { ok: true, message: `GitLab answered and sees ${count === 1 ? 'the project' : `all ${count} projects`}.` };
  } catch (error) {
    // A refusal was an answer: its message already says what to change.
    if (error instanceof GitlabPermissionError) return { ok: false, message: error.message };
    return { ok: false, message: `Could not reach GitLab: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
