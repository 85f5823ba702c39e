/**
 * Each CI's own words for what the engine calls a build and its tasks: a GitHub user reads "run"
 * and "jobs", a GitLab user "pipeline" and "jobs", a Cirrus user "build" and "tasks". Wording
 * only: the engine's policy is the same for all.
 */
import type { Provider } from '../event.js';

export interface CiWords {
  /** The CI's name: "Cirrus CI", "GitHub", "GitLab". */
  readonly ci: string;
  readonly build: string;
  readonly task: string;
  readonly tasks: string;
}

const WORDS: Readonly<Record<Provider, CiWords>> = {
  cirrus: { ci: 'Cirrus CI', build: 'build', task: 'task', tasks: 'tasks' },
  github: { ci: 'GitHub', build: 'run', task: 'job', tasks: 'jobs' },
  gitlab: { ci: 'GitLab', build: 'pipeline', task: 'job', tasks: 'jobs' },
};

export function wordsOf(provider: Provider): CiWords {
  return WORDS[provider];
}

/** The re-run button and menu item: "Re-run failed tasks", "Re-run failed jobs". */
export function rerunLabel(provider: Provider): string {
  return `Re-run failed ${WORDS[provider].tasks}`;
}
