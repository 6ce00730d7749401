import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';

const bundles = new Map<string, Promise<string>>();
const protocol = fileURLToPath(new URL('../../src/protocol/index.ts', import.meta.url));

/**
 * A browser entry bundled to one script for page.addScriptTag(), once per
 * entry and process: pages under test load it into an origin of the test's
 * choosing instead of a built app.
 */
export function pageBundle(entry: string): Promise<string> {
  let bundle = bundles.get(entry);
  if (!bundle) {
    bundle = (async () => {
      const output = (await build({
        configFile: false,
        logLevel: 'warn',
        resolve: { alias: { '@protocol': protocol } },
        build: {
          write: false,
          minify: false,
          lib: { entry, formats: ['iife'], name: 'PageBundle' },
        },
      })) as Rollup.RollupOutput[];
      const chunk = output[0]!.output.find((item) => item.type === 'chunk');
      if (!chunk || chunk.type !== 'chunk') throw new Error(`${entry} bundled to no chunk`);
      return chunk.code;
    })();
    bundles.set(entry, bundle);
  }
  return bundle;
}
