// Lint rules: typescript-eslint's recommended set plus the layer rule of DESIGN.md,
// so an import that points up the table fails here instead of in review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layer = (folder, forbidden) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: forbidden.map((name) => ({
        group: [`**/${name}/*`, `**/${name}`],
        message: `src/${folder} may not import src/${name} (see DESIGN.md, "Layers").`,
      })),
    }],
  },
});

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
  layer('core', ['providers', 'relay', 'client', 'main', 'preload', 'cli', 'sim']),
  layer('providers', ['relay', 'client', 'main', 'preload', 'cli', 'sim']),
  layer('relay', ['client', 'main', 'preload', 'cli', 'sim']),
  // The demo source embeds the simulator, so the client may use it (sim needs only core and providers).
  layer('client', ['relay', 'main', 'preload', 'cli']),
  layer('sim', ['relay', 'client', 'main', 'preload', 'cli']),
  layer('cli', ['main', 'preload']),
  // The Electron shell: main builds API clients for the configured source (as the CLI does); the
  // preload runs sandboxed and imports nothing at run time but 'electron'.
  layer('main', ['relay', 'cli', 'sim', 'preload', 'launcher', 'providers']),
  layer('preload', ['relay', 'cli', 'sim', 'main', 'client', 'providers', 'launcher']),
  layer('launcher', ['relay', 'cli', 'sim', 'main', 'preload', 'client', 'providers', 'core']),
  { files: ['renderer/**/*.{ts,js}'], languageOptions: { globals: { ...globals.browser } } },
);
