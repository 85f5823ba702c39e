/**
 * The simulator's SDL: the part of the Cirrus API the client uses, declared exactly as the real
 * schema declares it (`../shared/cirrus/schema.gql`). A test checks every type, field and argument
 * here against the real schema, so the simulator cannot quietly accept what Cirrus would refuse.
 * Fields are a subset; whatever is declared must match.
 */
export const SIM_SDL = /* GraphQL */ `
"""
A 64-bit signed integer
"""
scalar Int

interface Node {
  id: ID!
}

interface UserBasicInfo {
  id: ID!
  avatarURL: String
  username: String
}

type User implements Node & UserBasicInfo {
  id: ID!
  avatarURL: String!
  username: String!
}

enum BuildStatus { CREATED NEEDS_APPROVAL TRIGGERED EXECUTING FAILED COMPLETED ABORTED ERRORED }

enum TaskStatus { CREATED TRIGGERED SCHEDULED EXECUTING ABORTED FAILED COMPLETED SKIPPED PAUSED }

enum PermissionType { NONE READ WRITE ADMIN }

enum NotificationLevel { INFO WARNING ERROR }

enum TaskTriggerType { AUTOMATIC MANUAL }

type Notification {
  level: NotificationLevel!
  message: String!
  link: String
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type Repository implements Node {
  id: ID!
  platform: String!
  owner: String!
  name: String!
  cloneUrl: String!
  defaultBranch: String!
  masterBranch: String!
  isPrivate: Boolean!
  builds(before: String, after: String, first: Int, last: Int, branch: String, status: BuildStatus): RepositoryBuildsConnection!
  viewerPermission: PermissionType!
  lastDefaultBranchBuild: Build
}

type RepositoryBuildEdge {
  node: Build!
  cursor: String!
}

type RepositoryBuildsConnection {
  edges: [RepositoryBuildEdge!]!
  pageInfo: PageInfo!
}

type Build implements Node {
  id: ID!
  repositoryId: ID!
  branch: String!
  tag: String
  changeIdInRepo: String!
  changeMessageTitle: String!
  changeMessage: String!
  durationInSeconds: Int
  clockDurationInSeconds: Int
  pullRequest: Int
  pullRequestDraft: Boolean
  pullRequestLabels: [String!]!
  isSenderUserCollaborator: Boolean!
  senderUserPermissions: String!
  changeTimestamp: Int!
  buildCreatedTimestamp: Int!
  status: BuildStatus!
  notifications: [Notification!]!
  hasPausedTasks: Boolean!
  tasks: [Task!]!
  executingTasks: [Task!]!
  latestGroupTasks: [Task!]!
  repository: Repository!
  viewerPermission: PermissionType!
  initializer: UserBasicInfo
}

type Task implements Node {
  id: ID!
  buildId: ID!
  repositoryId: ID!
  name: String!
  nameAlias: String
  localGroupId: Int!
  requiredGroups: [Int!]!
  status: TaskStatus!
  notifications: [Notification!]!
  commands: [TaskCommand!]!
  firstFailedCommand: TaskCommand
  statusTimestamp: Int!
  creationTimestamp: Int!
  scheduledTimestamp: Int
  executingTimestamp: Int
  finalStatusTimestamp: Int
  durationInSeconds: Int!
  labels: [String!]!
  uniqueLabels: [String!]!
  timeoutInSeconds: Int!
  optional: Boolean!
  repository: Repository!
  build: Build!
  previousRuns: [Task!]!
  allOtherRuns: [Task!]!
  automaticReRun: Boolean!
  automaticallyReRunnable: Boolean!
  manualRerunCount: Int!
  instanceType: String!
  triggerType: TaskTriggerType!
}

type TaskCommand {
  name: String!
  type: TaskCommandType!
  status: TaskCommandStatus!
  durationInSeconds: Int!
  logsTail: [String!]!
}

enum TaskCommandStatus { UNDEFINED SUCCESS FAILURE EXECUTING SKIPPED ABORTED }

enum TaskCommandType { WAIT EXIT EXECUTE_SCRIPT CACHE UPLOAD_CACHE CLONE EXECUTE_BACKGROUND_SCRIPT FILE ARTIFACTS WAIT_FOR_TERMINAL }

input BuildApproveInput {
  buildId: ID!
  clientMutationId: String!
}

type BuildApprovePayload {
  build: Build!
  clientMutationId: String!
}

input BuildReTriggerInput {
  buildId: ID!
  clientMutationId: String!
}

type BuildReTriggerPayload {
  build: Build!
  clientMutationId: String!
}

input TaskReRunInput {
  taskId: ID!
  attachTerminal: Boolean
  clientMutationId: String!
}

type TaskReRunPayload {
  newTask: Task!
  clientMutationId: String!
}

input TasksReRunInput {
  taskIds: [ID!]
  attachTerminal: Boolean
  clientMutationId: String!
}

type TasksReRunPayload {
  newTasks: [Task!]!
  clientMutationId: String!
}

type Query {
  node(id: ID!): Node
  viewer: User
  repository(id: ID!): Repository
  ownerRepository(platform: String!, owner: String!, name: String!): Repository
  build(id: ID!): Build
  task(id: ID!): Task
}

type Mutation {
  rerun(input: TaskReRunInput!): TaskReRunPayload!
  batchReRun(input: TasksReRunInput!): TasksReRunPayload!
  retrigger(input: BuildReTriggerInput!): BuildReTriggerPayload!
  approve(input: BuildApproveInput!): BuildApprovePayload!
}
`;
