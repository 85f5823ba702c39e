/**
 * Each CI's own words for what the engine calls a build and its tasks: a GitHub user reads "run"
 * and "jobs", a GitLab user "pipeline" and "jobs", a Cirrus user "build" and "tasks". Wording
 * only: the engine's policy is the same for all.
 */
import type { Provider } from '../event.js';

export interface CiWords {
  readonly build: string;
  readonly task: string;
  readonly tasks: string;
}

const WORDS: Readonly<Record<Provider, CiWords>> = {
  cirrus: { build: 'build', task: 'task', tasks: 'tasks' },
  github: { build: 'run', task: 'job', tasks: 'jobs' },
  gitlab: { build: 'pipeline', task: 'job', tasks: 'jobs' },
};

export function wordsOf(provider: Provider): CiWords {
  return WORDS[provider];
}

/** The re-run button and menu item: "Re-run failed tasks", "Re-run failed jobs". */
export function rerunLabel(provider: Provider): string {
  return `Re-run failed ${WORDS[provider].tasks}`;
}
