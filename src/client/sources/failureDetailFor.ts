/**
 * The failure-detail port of a source that holds API clients but runs no poller of its own (a
 * relay with tokens for Approve and Re-run, the Cirrus poller and demo): one port per API, each
 * answering for its provider's builds. Spread into a `PreparedSource`.
 */
import type { Clock } from '../../core/ports.js';
import { combineFailureDetailPorts, type FailureDetailPort } from '../../core/failureDetailPort.js';
import type { CirrusApi } from '../../providers/cirrus/api/client.js';
import type { GithubApi } from '../../providers/github/api/client.js';
import type { GitlabApi } from '../../providers/gitlab/api/client.js';
import { createCirrusFailureDetail } from './cirrus/failureDetail.js';
import { githubWebHost } from './github/actions.js';
import { createGithubFailureDetail } from './github/failureDetail.js';
import { gitlabWebHost } from './gitlab/actions.js';
import { createGitlabFailureDetail } from './gitlab/failureDetail.js';
import { RateGate } from './rateGate.js';

export interface FailureDetailApis {
  readonly cirrus?: CirrusApi | undefined;
  readonly github?: GithubApi | undefined;
  /** The base of `github` (undefined: api.github.com): says which host's runs it can explain. */
  readonly githubApiUrl?: string | undefined;
  readonly gitlab?: GitlabApi | undefined;
  /** The base of `gitlab` (undefined: gitlab.com/api/v4): says which host's pipelines it can explain. */
  readonly gitlabApiUrl?: string | undefined;
  readonly clock: Clock;
}

export function failureDetailFor(apis: FailureDetailApis): { failureDetail?: FailureDetailPort } {
  const ports: FailureDetailPort[] = [];
  if (apis.cirrus) ports.push(createCirrusFailureDetail(apis.cirrus));
  // No poller spends this token's budget here: nothing needs to be kept in reserve.
  if (apis.github) ports.push(createGithubFailureDetail(apis.github, { webHost: githubWebHost(apis.githubApiUrl), gate: new RateGate(apis.clock, 0) }));
  if (apis.gitlab) ports.push(createGitlabFailureDetail(apis.gitlab, { webHost: gitlabWebHost(apis.gitlabApiUrl), gate: new RateGate(apis.clock, 0) }));
  const port = combineFailureDetailPorts(ports);
  return port ? { failureDetail: port } : {};
}
