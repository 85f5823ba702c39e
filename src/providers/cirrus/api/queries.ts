/**
 * Every GraphQL document the Cirrus client sends, as text. `npm test` validates each one against
 * the simulator's SDL and `npm run test:conformance` against the real schema
 * (`../shared/cirrus/schema.gql`), so a field the real API lacks fails there first.
 *
 * The schema's `Int` is the server's 64-bit `Long` (FACTS.md, "Numbers"); timestamps come back as
 * numbers past 2^31 and ids are `ID` strings.
 */

/** The build fields the poller and the actions need. `initializer` is who started the build. */
export const BUILD_FIELDS = `fragment BuildbellBuild on Build {
  id
  repositoryId
  status
  branch
  tag
  changeIdInRepo
  changeMessageTitle
  changeTimestamp
  buildCreatedTimestamp
  durationInSeconds
  pullRequest
  senderUserPermissions
  initializer { id username }
  tasks {
    id
    name
    nameAlias
    status
    localGroupId
    creationTimestamp
    statusTimestamp
    finalStatusTimestamp
    durationInSeconds
    automaticReRun
  }
}`;

const REPOSITORY_FIELDS = 'id owner name isPrivate';

/** Builds per repository the poller asks for by default: enough to see every change in a minute. */
export const DEFAULT_BUILDS_PER_REPOSITORY = 10;

/** The alias of the i-th repository in a batched poll: `r0`, `r1`, ... */
export function pollAlias(index: number): string {
  return `r${index}`;
}

/**
 * One query that reads the latest builds of `repositoryCount` repositories at once, each under
 * its own alias (`r0: ownerRepository(...)`), so a poll costs one request however many
 * repositories are watched. Variables: `$o<i>`, `$n<i>` (owner, name) and `$last`.
 */
export function pollQuery(repositoryCount: number): string {
  if (!Number.isInteger(repositoryCount) || repositoryCount < 1) {
    throw new RangeError(`pollQuery needs at least one repository, got ${repositoryCount}`);
  }
  const indexes = Array.from({ length: repositoryCount }, (_, i) => i);
  const variables = indexes.map((i) => `$o${i}: String!, $n${i}: String!`).join(', ');
  const selections = indexes
    .map(
      (i) =>
        `  ${pollAlias(i)}: ownerRepository(platform: "github", owner: $o${i}, name: $n${i}) {\n` +
        `    ${REPOSITORY_FIELDS}\n` +
        `    builds(last: $last) { edges { node { ...BuildbellBuild } } }\n` +
        `  }`,
    )
    .join('\n');
  return `query BuildbellPoll(${variables}, $last: Int!) {\n${selections}\n}\n\n${BUILD_FIELDS}\n`;
}

/** Variables for {@link pollQuery}, in the same order as the repositories. */
export function pollVariables(
  repositories: readonly { owner: string; name: string }[],
  buildsPerRepository: number = DEFAULT_BUILDS_PER_REPOSITORY,
): Record<string, string | number> {
  const variables: Record<string, string | number> = { last: buildsPerRepository };
  repositories.forEach((repository, i) => {
    variables[`o${i}`] = repository.owner;
    variables[`n${i}`] = repository.name;
  });
  return variables;
}

/** One build with its tasks and repository, for the actions and for a click on a notification. */
export const BUILD_QUERY = `query BuildbellBuild($id: ID!) {
  build(id: $id) {
    ...BuildbellBuild
    repository { ${REPOSITORY_FIELDS} }
  }
}

${BUILD_FIELDS}
`;

/**
 * Why tasks failed: each one's first failed command and its log's last lines. `logsTail` is the
 * end of that command's log as Cirrus keeps it for its own page; the client keeps a few lines.
 */
const FAILED_TASK_FIELDS = 'id name status firstFailedCommand { name status logsTail }';

/** The alias of the i-th task in {@link failedCommandsQuery}: `t0`, `t1`, ... */
export function failedTaskAlias(index: number): string {
  return `t${index}`;
}

/**
 * One query for the failed commands of `taskCount` tasks, each under its own alias
 * (`t0: task(id: $t0)`), so the tasks of a failed build cost one request. Variables: `$t<i>`.
 */
export function failedCommandsQuery(taskCount: number): string {
  if (!Number.isInteger(taskCount) || taskCount < 1) throw new RangeError(`failedCommandsQuery needs at least one task, got ${taskCount}`);
  const indexes = Array.from({ length: taskCount }, (_, i) => i);
  const variables = indexes.map((i) => `$${failedTaskAlias(i)}: ID!`).join(', ');
  const selections = indexes.map((i) => `  ${failedTaskAlias(i)}: task(id: $${failedTaskAlias(i)}) { ${FAILED_TASK_FIELDS} }`).join('\n');
  return `query BuildbellFailedCommands(${variables}) {\n${selections}\n}\n`;
}

/** The failed commands of every task of a build: for a failure whose tasks the client has not seen. */
export const BUILD_FAILED_COMMANDS_QUERY = `query BuildbellBuildFailedCommands($id: ID!) {
  build(id: $id) {
    id
    tasks { ${FAILED_TASK_FIELDS} }
  }
}
`;

/** Approves a build in `NEEDS_APPROVAL`; needs WRITE. */
export const APPROVE_MUTATION = `mutation BuildbellApprove($buildId: ID!, $clientMutationId: String!) {
  approve(input: { buildId: $buildId, clientMutationId: $clientMutationId }) {
    clientMutationId
    build { id status }
  }
}
`;

/** Re-runs the given tasks; each re-run is a new task with a new id. Needs WRITE. */
export const BATCH_RERUN_MUTATION = `mutation BuildbellBatchReRun($taskIds: [ID!], $clientMutationId: String!) {
  batchReRun(input: { taskIds: $taskIds, clientMutationId: $clientMutationId }) {
    clientMutationId
    newTasks { id name status }
  }
}
`;

/** Runs a whole build again, for a build that ended before it had tasks. Needs WRITE. */
export const RETRIGGER_MUTATION = `mutation BuildbellRetrigger($buildId: ID!, $clientMutationId: String!) {
  retrigger(input: { buildId: $buildId, clientMutationId: $clientMutationId }) {
    clientMutationId
    build { id status }
  }
}
`;

/** Every fixed document, for the schema test. */
export const FIXED_DOCUMENTS = {
  build: BUILD_QUERY,
  buildFailedCommands: BUILD_FAILED_COMMANDS_QUERY,
  approve: APPROVE_MUTATION,
  batchReRun: BATCH_RERUN_MUTATION,
  retrigger: RETRIGGER_MUTATION,
} as const;
