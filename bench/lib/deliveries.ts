/**
 * Cirrus build deliveries for the load generators, in the real flat webhook shape. Each carries
 * a marker in its commit title, `bench <id> <stamp>`, that survives normalisation into the event
 * the relay streams, so receivers can tell deliveries apart and time them without parsing JSON.
 */

/** A distinct body for every (`source`, `id`); `stamp` is the sender's monotonic time (ns). */
export function buildDeliveryBody(source: number, id: number, stamp: bigint | number = 0): string {
  const buildId = source * 1_000_000_000 + id;
  return JSON.stringify({
    action: 'updated',
    old_status: 'EXECUTING',
    repository: { id: 4_242, owner: 'acme', name: 'web', isPrivate: false },
    build: {
      id: buildId,
      branch: 'main',
      changeIdInRepo: '3f1c2a9b7d0e4f5a6b7c8d9e0f1a2b3c4d5e6f70',
      changeTimestamp: 1_722_406_690_000,
      changeMessageTitle: `bench ${id} ${stamp}`,
      status: 'FAILED',
      user: { id: 1, username: 'dev' },
    },
    task: {},
  });
}

/** Finds the marker in a received frame: [id, stamp] or undefined. */
const MARKER = /bench (\d+) (\d+)/;
export function readMarker(frame: string): [number, bigint] | undefined {
  const match = MARKER.exec(frame);
  return match ? [Number(match[1]), BigInt(match[2]!)] : undefined;
}
