/** Reads the relay's Prometheus metrics with the metrics token the tests start relays with. */
export const TEST_METRICS_TOKEN = 'metrics-token-for-the-tests';

/** The value of an unlabelled metric, e.g. `buildbell_clients_connected`. */
export async function readMetric(baseUrl: string, name: string, token = TEST_METRICS_TOKEN): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${await response.text()}`);
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)$`, 'm').exec(await response.text());
  if (!match) throw new Error(`no ${name} in the relay's metrics`);
  return Number(match[1]);
}
