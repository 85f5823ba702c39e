/**
 * What the simulated organisation looks like: its repositories, people, task names and commit
 * subjects. Plain data, so a reader sees the whole cast in one place.
 */

/** A repository to simulate. */
export interface SimRepositorySpec {
  readonly owner: string;
  readonly name: string;
  /** Default: false. Private repositories are invisible to the GraphQL API without a token. */
  readonly isPrivate?: boolean;
  /** Default: `main`. */
  readonly defaultBranch?: string;
}

/** Default cast: two public repositories and a private one, as a small company might have. */
export const DEFAULT_REPOSITORIES: readonly SimRepositorySpec[] = [
  { owner: 'acme', name: 'web' },
  { owner: 'acme', name: 'api' },
  { owner: 'acme', name: 'mobile', isPrivate: true },
];

export interface TaskTemplate {
  readonly name: string;
  readonly alias: string;
  /** Typical run time in sim seconds, [min, max]. */
  readonly seconds: readonly [number, number];
  readonly instanceType: string;
  /** Runs after every other task of the build, and only on the default branch. */
  readonly deploy?: boolean;
}

const CONTAINER = 'CommunityContainer';

/** Tasks per repository name; a repository not listed gets {@link GENERIC_TASKS}. */
export const TASKS_BY_REPOSITORY: Readonly<Record<string, readonly TaskTemplate[]>> = {
  web: [
    { name: 'Lint (eslint)', alias: 'lint', seconds: [2, 4], instanceType: CONTAINER },
    { name: 'Unit tests (node 20)', alias: 'test', seconds: [4, 7], instanceType: CONTAINER },
    { name: 'Build bundle', alias: 'bundle', seconds: [3, 6], instanceType: CONTAINER },
    { name: 'Deploy preview', alias: 'deploy', seconds: [2, 4], instanceType: CONTAINER, deploy: true },
  ],
  api: [
    { name: 'Lint (cargo fmt)', alias: 'lint', seconds: [2, 3], instanceType: CONTAINER },
    { name: 'Test (cargo test)', alias: 'test', seconds: [5, 9], instanceType: CONTAINER },
    { name: 'Integration tests', alias: 'integration', seconds: [6, 11], instanceType: 'PersistentWorker' },
  ],
  mobile: [
    { name: 'Android', alias: 'android', seconds: [6, 10], instanceType: CONTAINER },
    { name: 'iOS', alias: 'ios', seconds: [7, 12], instanceType: 'MacOSInstance' },
  ],
};

export const GENERIC_TASKS: readonly TaskTemplate[] = [
  { name: 'Lint', alias: 'lint', seconds: [2, 4], instanceType: CONTAINER },
  { name: 'Test', alias: 'test', seconds: [4, 8], instanceType: CONTAINER },
];

/** People with write access: their pushes and pull requests run at once. */
export const MAINTAINERS = ['ada', 'grace', 'linus', 'margaret'] as const;
/** Outside contributors: their pull requests wait in NEEDS_APPROVAL. */
export const CONTRIBUTORS = ['drive-by-dev', 'first-timer', 'octo-fan'] as const;

export const FEATURE_BRANCHES = ['feature/login', 'fix/flaky-cache', 'deps/bump-zod', 'refactor/router'] as const;

export const COMMIT_TITLES = [
  'Add retry to the upload step',
  'Bump zod to 4.1',
  'Fix off-by-one in pagination',
  'Refactor the router',
  'Speed up the test suite',
  'Handle empty responses from the API',
  'Update README',
  'Periodic update',
  'Tidy up the build script',
  'Cache dependencies between runs',
] as const;

export const FIX_TITLES = ['Fix the failing test', 'Revert the breaking change', 'Fix lint errors'] as const;
