/** Pages on cirrus-ci.com that a notification or menu item opens (FACTS.md, "Links"). */

export const CIRRUS_WEB = 'https://cirrus-ci.com';
export const CIRRUS_API = 'https://api.cirrus-ci.com/graphql';

export function cirrusBuildUrl(buildId: string): string {
  return `${CIRRUS_WEB}/build/${encodeURIComponent(buildId)}`;
}

export function cirrusTaskUrl(taskId: string): string {
  return `${CIRRUS_WEB}/task/${encodeURIComponent(taskId)}`;
}

export function cirrusRepositoryUrl(owner: string, name: string, branch?: string): string {
  const base = `${CIRRUS_WEB}/github/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  return branch === undefined ? base : `${base}/${encodeURIComponent(branch)}`;
}

export function cirrusOwnerSettingsUrl(owner: string): string {
  return `${CIRRUS_WEB}/settings/github/${encodeURIComponent(owner)}`;
}
