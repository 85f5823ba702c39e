import { describe, expect, it } from 'vitest';
import type { AcknowledgePort, BuildRef } from '../../core/ports.js';
import type { PreparedSource } from '../sources/contract.js';
import { routeAcknowledgements } from './acknowledgeRoute.js';

const build = (owner: string): BuildRef => ({ provider: 'cirrus', repository: { owner, name: 'web' }, id: '1', url: 'https://cirrus-ci.com/build/1' });

function source(label: string, owners: readonly string[] | null, told: string[]): PreparedSource {
  const port: AcknowledgePort = {
    canShare: (ref) => owners?.includes(ref.repository.owner) ?? false,
    acknowledge: async () => void told.push(label),
  };
  return { label, actions: [], ...(owners ? { acknowledgements: port } : {}), start: async () => {}, stop: async () => {} };
}

describe('routeAcknowledgements', () => {
  it('tells the first source that can share the build, skipping those without a port or that cannot', async () => {
    const told: string[] = [];
    const route = routeAcknowledgements(() => [null, source('poller', null, told), source('relay a', ['acme'], told), source('relay b', ['acme', 'beta'], told)]);
    expect(route.canShare(build('acme'))).toBe(true);
    await route.acknowledge(build('acme'), true);
    await route.acknowledge(build('beta'), false);
    expect(told).toEqual(['relay a', 'relay b']);
  });

  it('says no source can share, and rejects if asked anyway', async () => {
    const route = routeAcknowledgements(() => [source('poller', null, [])]);
    expect(route.canShare(build('acme'))).toBe(false);
    await expect(route.acknowledge(build('acme'), true)).rejects.toThrow('no connected relay carries acme/web');
  });
});
