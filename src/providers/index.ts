/** Every webhook provider the relay accepts, and how a request picks one. */
import { cirrusWebhooks } from './cirrus/webhooks.js';
import { githubWebhooks } from './github/webhooks.js';
import { gitlabWebhooks } from './gitlab/webhooks.js';
import type { Headers, WebhookProvider } from './provider.js';

export const webhookProviders: readonly WebhookProvider[] = [cirrusWebhooks, githubWebhooks, gitlabWebhooks];

/**
 * The provider whose headers the request carries. Cirrus is the default, so a request with no
 * provider headers at all is judged as Cirrus and fails its signature check (401).
 */
export function providerForRequest(headers: Headers): WebhookProvider {
  return webhookProviders.find((provider) => provider.recognises(headers)) ?? cirrusWebhooks;
}
