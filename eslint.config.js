import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** One rule per layer: the folders it must not import (see README, Architecture). */
function layerRules(forbidden) {
  return Object.entries(forbidden).map(([files, layers]) => ({
    files: [`${files}/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: layers.map((layer) => ({
            group: [`**/${layer}/**`],
            message: `${files} must not depend on src/${layer}/ (see README, Architecture).`,
          })),
        },
      ],
    },
  }));
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'bench/results/**',
      '.aula-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      eqeqeq: 'error',
      // Prettier owns formatting.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  // Dependencies point one way: http and signaling → domain (classroom, lti) → store and media.
  // The wire contract (src/protocol/) is a leaf that every layer and the client may import.
  ...layerRules({
    'src/classroom/**': ['http', 'lti', 'signaling', 'operations'],
    'src/lti/**': ['http', 'signaling', 'operations'],
    'src/http/**': ['lti', 'signaling'],
    'src/media/**': ['classroom', 'lti', 'http', 'signaling', 'operations'],
    // Shared documents: below the classroom, which gives each kind its rules.
    'src/collab/**': ['classroom', 'lti', 'http', 'signaling', 'media', 'operations'],
    'src/store/**': ['classroom', 'lti', 'http', 'signaling', 'media', 'operations'],
    'src/operations/**': ['http', 'lti', 'signaling'],
    'src/shared/**': ['classroom', 'lti', 'http', 'signaling', 'media', 'store', 'config', 'operations'],
    'src/protocol/**': [
      'classroom',
      'lti',
      'http',
      'signaling',
      'media',
      'store',
      'config',
      'shared',
      'operations',
    ],
  }),
  // No import circles in the server, types included: each module can be read (and tested) after
  // the ones it imports.
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['client/**/*.{ts,vue}', 'test/client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
