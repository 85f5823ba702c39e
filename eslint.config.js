// Lint rules: typescript-eslint's recommended set plus the layer rule of DESIGN.md,
// so an import that points up the table fails here instead of in review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import architecture from './eslint/architecture.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.cts'],
    plugins: { architecture },
    rules: {
      'architecture/no-cycle': 'error',
      // Which layer may not import which. The demo's simulators are handed to the client by the
      // shells (cli, main), so the client never imports sim.
      'architecture/layers': ['error', {
        core: ['providers', 'relay', 'client', 'main', 'preload', 'cli', 'sim', 'launcher'],
        providers: ['relay', 'client', 'main', 'preload', 'cli', 'sim', 'launcher'],
        relay: ['client', 'main', 'preload', 'cli', 'sim', 'launcher'],
        client: ['relay', 'main', 'preload', 'cli', 'sim', 'launcher'],
        sim: ['relay', 'client', 'main', 'preload', 'cli', 'launcher'],
        cli: ['main', 'preload', 'launcher'],
        // The Electron shell: the session builds API clients for the configured sources; the
        // preload runs sandboxed and imports nothing at run time but 'electron'.
        main: ['relay', 'cli', 'preload', 'launcher', 'providers'],
        preload: ['relay', 'cli', 'sim', 'main', 'client', 'providers', 'launcher'],
        launcher: ['relay', 'cli', 'sim', 'main', 'preload', 'client', 'providers', 'core'],
      }],
    },
  },
  { files: ['renderer/**/*.{ts,js}'], languageOptions: { globals: { ...globals.browser } } },
);
