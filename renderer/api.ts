/**
 * The only module that touches `window.buildbell`, the preload's API. Everything else imports
 * `api` from here, so the page's whole contact with main is visible in one place.
 */
import type { BuildbellApi } from '../src/core/ipc/contract.js';

declare global {
  interface Window {
    readonly buildbell: BuildbellApi;
  }
}

export const api: BuildbellApi = window.buildbell;
