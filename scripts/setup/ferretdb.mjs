// Builds FerretDB v1 (MongoDB wire protocol over an embedded SQLite backend)
// from the Go module proxy and caches the binary. `go install` alone yields a
// binary that panics at start, because the module zip lacks the generated
// build/version/version.txt; so the module is copied and built with that file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir, installFile, platformKey } from './cache.mjs';
import { capture, commandExists, log, run, SetupError } from './run.mjs';

export const FERRETDB_VERSION = '1.24.0';
const MODULE = 'github.com/FerretDB/FerretDB';

function ferretRuns(bin) {
  return fs.existsSync(bin) && capture(bin, ['--version'])?.includes(`v${FERRETDB_VERSION}`) === true;
}

/** Returns the FerretDB binary path, or undefined when it cannot be had here (no Go). */
export function ensureFerretDB() {
  const explicit = process.env.AULA_FERRETDB_BIN;
  if (explicit) {
    if (!ferretRuns(explicit))
      throw new SetupError(`AULA_FERRETDB_BIN=${explicit} is not FerretDB v${FERRETDB_VERSION}`);
    return explicit;
  }
  const target = path.join(cacheDir('ferretdb', `${FERRETDB_VERSION}-${platformKey()}`), 'ferretdb');
  if (ferretRuns(target)) return target;
  if (!commandExists('go')) {
    log(
      'database',
      'Go is not installed, so FerretDB cannot be built; falling back to mongodb-memory-server',
    );
    return undefined;
  }
  log('database', `building FerretDB v${FERRETDB_VERSION} from the Go module proxy (about 2 minutes)`);
  const info = capture('go', ['mod', 'download', '-json', `${MODULE}@v${FERRETDB_VERSION}`]);
  if (!info)
    throw new SetupError(
      `go mod download ${MODULE}@v${FERRETDB_VERSION} failed; is the Go module proxy reachable?`,
    );
  const source = JSON.parse(info).Dir;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-ferretdb-'));
  try {
    fs.cpSync(source, work, { recursive: true });
    run('chmod', ['-R', 'u+w', work]);
    fs.writeFileSync(path.join(work, 'build', 'version', 'version.txt'), `v${FERRETDB_VERSION}\n`);
    const built = path.join(work, 'aula-ferretdb.bin');
    run('go', ['build', '-trimpath', '-o', built, './cmd/ferretdb'], { cwd: work });
    installFile(built, target);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  log('database', `FerretDB ready at ${target}`);
  return target;
}
