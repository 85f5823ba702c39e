/** Runs the delivery poster (workers/poster.ts) on the load core and waits for its summary. */
import { workerScript } from './paths.js';
import { LOAD_CORE, startNode } from './processes.js';

export interface Posted { kind: 'posted'; sent: number; ok: number; failed: number; statuses: Record<string, number>; firstStampNs: string; durationSec: number }
const isPosted = (message: unknown): message is Posted => (message as { kind?: unknown }).kind === 'posted';

export type PostPlan =
  | { mode: 'rate'; perSecond: number; count: number }
  | { mode: 'closed'; concurrency: number; durationSec: number };

export async function postDeliveries(url: string, secret: string, plan: PostPlan): Promise<Posted> {
  const poster = startNode(workerScript('poster'), [JSON.stringify({ url, secret, ...plan })], { core: LOAD_CORE });
  const expectedSec = plan.mode === 'rate' ? plan.count / plan.perSecond : plan.durationSec;
  try {
    return await poster.waitForMessage(isPosted, (expectedSec + 60) * 1000);
  } finally {
    await poster.stop();
  }
}
