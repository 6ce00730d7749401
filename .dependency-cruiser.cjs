/**
 * No import circles in the server, type-only imports included: ESLint's
 * import-x/no-cycle sees only imports that stay at run time, so this check
 * (part of `npm run lint`) also catches circles through `import type`.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Each module can be read, and tested, after the ones it imports.',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|client|test|bench|scripts)/' },
  },
};
