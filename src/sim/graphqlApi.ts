/**
 * The simulated Cirrus API's resolvers: the root value graphql-js executes the sim SDL against.
 * Objects are views over the world made per request, so every answer reflects the state at that
 * moment and nothing the viewer may not see leaves here.
 */
import { GraphQLError } from 'graphql';
import type { Viewer } from './access.js';
import { canSee, canWrite, permissionOf } from './access.js';
import type { Director } from './director.js';
import { StateError } from './director.js';
import type { SimBuild, SimRepository, SimTask, SimWorld } from './world.js';
import { FINAL_TASK_STATUSES, taskDurationSeconds } from './world.js';
import { simTaskCommands } from './taskCommands.js';

interface Connection<T> { edges: { node: T; cursor: string }[]; pageInfo: Record<string, unknown> }

export interface SimApiContext {
  readonly world: SimWorld;
  readonly director: Director;
  /** The simulated now, for a running task's duration. */
  readonly now: () => number;
}

/** The root value for one request by `viewer`. */
export function createRootValue(context: SimApiContext, viewer: Viewer): Record<string, unknown> {
  const { world, director, now } = context;

  const visibleRepository = (repository: SimRepository | undefined) =>
    repository !== undefined && canSee(viewer, repository) ? repository : undefined;
  const visibleBuild = (id: string) => {
    const build = world.build(id);
    return build && visibleRepository(world.repository(build.repositoryId)) ? build : undefined;
  };
  const visibleTask = (id: string) => {
    const task = world.task(id);
    return task && visibleBuild(task.buildId) ? task : undefined;
  };

  /** Mutations: the repository must be visible and the token must carry WRITE for it. */
  function writable(repositoryId: string, what: string): void {
    const repository = world.repository(repositoryId)!;
    if (canWrite(viewer, repository)) return;
    const message =
      viewer.token === null
        ? `Permission denied: ${what} needs an access token with WRITE permission`
        : `Permission denied: the access token has ${viewer.token.permission} permission for ${repository.owner}/${repository.name}, ${what} needs WRITE`;
    throw new GraphQLError(message, { extensions: { code: 'PERMISSION_DENIED' } });
  }

  const stateChange = <T>(change: () => T): T => {
    try {
      return change();
    } catch (error) {
      if (error instanceof StateError) throw new GraphQLError(error.message, { extensions: { code: 'FAILED_PRECONDITION' } });
      throw error;
    }
  };

  const notFound = (what: string, id: string) => new GraphQLError(`${what} ${id} not found`, { extensions: { code: 'NOT_FOUND' } });

  function repositoryView(repository: SimRepository) {
    return {
      __typename: 'Repository',
      id: repository.id,
      platform: 'github',
      owner: repository.owner,
      name: repository.name,
      cloneUrl: `https://github.com/${repository.owner}/${repository.name}.git`,
      defaultBranch: repository.defaultBranch,
      masterBranch: repository.defaultBranch,
      isPrivate: repository.isPrivate,
      viewerPermission: permissionOf(viewer, repository),
      builds: (args: { first?: number | null; last?: number | null; branch?: string | null; status?: string | null }) => {
        let builds = world.buildsOf(repository.id);
        if (args.branch != null) builds = builds.filter((b) => b.branch === args.branch);
        if (args.status != null) builds = builds.filter((b) => b.status === args.status);
        if (args.first != null) builds = builds.slice(0, Math.max(0, args.first));
        if (args.last != null) builds = builds.slice(Math.max(0, builds.length - args.last));
        return connection(builds.map(buildView));
      },
      lastDefaultBranchBuild: () => {
        const builds = world.buildsOf(repository.id).filter((b) => b.branch === repository.defaultBranch);
        const last = builds.at(-1);
        return last ? buildView(last) : null;
      },
    };
  }

  function buildView(build: SimBuild) {
    const repository = world.repository(build.repositoryId)!;
    const tasks = () => world.tasksOf(build).map(taskView);
    return {
      __typename: 'Build',
      ...build,
      tag: null,
      durationInSeconds: build.durationInSeconds,
      clockDurationInSeconds: build.durationInSeconds,
      pullRequestDraft: build.pullRequest === null ? null : false,
      pullRequestLabels: [],
      isSenderUserCollaborator: build.user?.canWrite ?? true,
      senderUserPermissions: build.user === null ? 'admin' : build.user.canWrite ? 'write' : 'read',
      notifications: [],
      hasPausedTasks: false,
      tasks,
      executingTasks: () => world.tasksOf(build).filter((t) => t.status === 'EXECUTING').map(taskView),
      latestGroupTasks: tasks,
      repository: () => repositoryView(repository),
      viewerPermission: permissionOf(viewer, repository),
      initializer: build.user && {
        __typename: 'User',
        id: build.user.id,
        username: build.user.username,
        avatarURL: `https://avatars.example/${build.user.username}.png`,
      },
    };
  }

  function taskView(task: SimTask) {
    const runs = () => [...task.previousRunIds.map((id) => world.task(id)!)];
    const commands = () => simTaskCommands(task, now());
    return {
      __typename: 'Task',
      ...task,
      notifications: [],
      commands,
      firstFailedCommand: () => commands().find((command) => command.status === 'FAILURE') ?? null,
      durationInSeconds: taskDurationSeconds(task, now()),
      labels: [`instance:${task.instanceType}`],
      uniqueLabels: [],
      optional: false,
      repository: () => repositoryView(world.repository(task.repositoryId)!),
      build: () => buildView(world.build(task.buildId)!),
      previousRuns: () => runs().map(taskView),
      allOtherRuns: () => runs().map(taskView),
      automaticReRun: false,
      automaticallyReRunnable: FINAL_TASK_STATUSES.has(task.status),
      triggerType: 'AUTOMATIC',
    };
  }

  return {
    viewer: null,
    node: ({ id }: { id: string }) => {
      const repository = visibleRepository(world.repository(id));
      if (repository) return repositoryView(repository);
      const build = visibleBuild(id);
      if (build) return buildView(build);
      const task = visibleTask(id);
      return task ? taskView(task) : null;
    },
    repository: ({ id }: { id: string }) => {
      const repository = visibleRepository(world.repository(id));
      return repository ? repositoryView(repository) : null;
    },
    ownerRepository: ({ platform, owner, name }: { platform: string; owner: string; name: string }) => {
      const repository = platform === 'github' ? visibleRepository(world.repositoryByName(owner, name)) : undefined;
      return repository ? repositoryView(repository) : null;
    },
    build: ({ id }: { id: string }) => {
      const build = visibleBuild(id);
      return build ? buildView(build) : null;
    },
    task: ({ id }: { id: string }) => {
      const task = visibleTask(id);
      return task ? taskView(task) : null;
    },

    approve: ({ input }: { input: { buildId: string; clientMutationId: string } }) => {
      const build = visibleBuild(input.buildId);
      if (!build) throw notFound('Build', input.buildId);
      writable(build.repositoryId, 'approving a build');
      stateChange(() => director.approve(build));
      return { clientMutationId: input.clientMutationId, build: buildView(build) };
    },
    retrigger: ({ input }: { input: { buildId: string; clientMutationId: string } }) => {
      const build = visibleBuild(input.buildId);
      if (!build) throw notFound('Build', input.buildId);
      writable(build.repositoryId, 'retriggering a build');
      stateChange(() => director.retrigger(build));
      return { clientMutationId: input.clientMutationId, build: buildView(build) };
    },
    batchReRun: ({ input }: { input: { taskIds?: string[] | null; clientMutationId: string } }) => {
      const tasks = (input.taskIds ?? []).map((id) => {
        const task = visibleTask(id);
        if (!task) throw notFound('Task', id);
        writable(task.repositoryId, 're-running tasks');
        return task;
      });
      const newTasks = stateChange(() => director.rerun(tasks));
      return { clientMutationId: input.clientMutationId, newTasks: newTasks.map(taskView) };
    },
    rerun: ({ input }: { input: { taskId: string; clientMutationId: string } }) => {
      const task = visibleTask(input.taskId);
      if (!task) throw notFound('Task', input.taskId);
      writable(task.repositoryId, 're-running a task');
      const [newTask] = stateChange(() => director.rerun([task]));
      return { clientMutationId: input.clientMutationId, newTask: taskView(newTask!) };
    },
  };
}

function connection<T extends { id: string }>(nodes: T[]): Connection<T> {
  return {
    edges: nodes.map((node) => ({ node, cursor: node.id })),
    pageInfo: {
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: nodes[0]?.id ?? null,
      endCursor: nodes.at(-1)?.id ?? null,
    },
  };
}
