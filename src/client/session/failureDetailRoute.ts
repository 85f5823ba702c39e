/**
 * The session's one failure-detail port for its engine: each question goes to whichever running
 * source's API can answer for the build, looked up when asked, since sources come and go under one
 * engine (as the session's actions are).
 */
import { combineFailureDetailPorts, type FailureDetailPort } from '../../core/failureDetailPort.js';
import type { PreparedSource } from '../sources/contract.js';

export function routeFailureDetail(sources: () => readonly (PreparedSource | null)[]): FailureDetailPort {
  const current = () => combineFailureDetailPorts(sources().flatMap((source) => (source?.failureDetail ? [source.failureDetail] : [])));
  return {
    supports: (build) => current()?.supports(build) ?? false,
    fetch: async (request, signal) => (await current()?.fetch(request, signal)) ?? [],
  };
}
