#!/usr/bin/env node
// The two commands a newcomer runs (`npm start`, `npm test`) start here. Only
// Node built-ins are used before `npm ci` has run.
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureNodeModules } from './setup/nodeModules.mjs';
import { ensureBuild } from './setup/build.mjs';
import { ensureBrowser } from './setup/browsers.mjs';
import { ensureClusterTools } from './setup/clusterTools.mjs';
import { ensureNetworkTools } from './setup/networkTools.mjs';
import { log, SetupError } from './setup/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

/** Dependencies, the mediasoup worker, the database server binary: what every command needs. */
async function prepareRuntime() {
  ensureNodeModules(root);
  // Imported after npm ci: this module resolves mediasoup from node_modules.
  const { ensureMediasoupWorker } = await import('./setup/mediasoupWorker.mjs');
  process.env.MEDIASOUP_WORKER_BIN = await ensureMediasoupWorker();
  if (!process.env.MONGODB_URI) {
    const { ensureFerretDB } = await import('./setup/ferretdb.mjs');
    const ferretdb = ensureFerretDB();
    if (ferretdb) process.env.AULA_FERRETDB_BIN = ferretdb;
  }
}

/** The system parts the tests need, each installed as root or named with the command that installs it. */
const TEST_PARTS = {
  chromium() {
    process.env.AULA_CHROMIUM_PATH = ensureBrowser('chromium');
    return process.env.AULA_CHROMIUM_PATH;
  },
  'network-tools': () => ensureNetworkTools(),
  firefox() {
    process.env.AULA_FIREFOX_PATH = ensureBrowser('firefox');
    return process.env.AULA_FIREFOX_PATH;
  },
  'cluster-tools': () => ensureClusterTools(),
};

function step(name, command, args) {
  log('test', name);
  const bin = path.join(root, 'node_modules', '.bin', command);
  const result = spawnSync(bin, args, { stdio: 'inherit', cwd: root, env: process.env });
  if (result.status !== 0) throw new SetupError(`${name} failed`);
}

/**
 * Checks that read the sources and nothing else, run side by side (each is
 * single-threaded); each one's output is shown when it ends, the failures
 * named together.
 */
async function checks(list) {
  log('test', list.map(([name]) => name).join(', '));
  const outcomes = await Promise.all(
    list.map(
      ([name, command, args]) =>
        new Promise((resolve) => {
          const bin = path.join(root, 'node_modules', '.bin', command);
          const child = spawn(bin, args, { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
          const output = [];
          child.stdout.on('data', (chunk) => output.push(chunk));
          child.stderr.on('data', (chunk) => output.push(chunk));
          child.on('error', (error) => resolve({ name, ok: false, output: [Buffer.from(String(error))] }));
          child.on('close', (code) => resolve({ name, ok: code === 0, output }));
        }),
    ),
  );
  for (const { name, ok, output } of outcomes) {
    if (output.length) process.stdout.write(Buffer.concat(output));
    if (!ok) log('test', `${name} failed`);
  }
  const failed = outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.name);
  if (failed.length) throw new SetupError(`${failed.join(', ')} failed`);
}

const commands = {
  async worker() {
    await prepareRuntime();
    process.stdout.write(`${process.env.MEDIASOUP_WORKER_BIN}\n`);
  },
  async setup() {
    await prepareRuntime();
    ensureBuild(root);
  },
  async start() {
    await commands.setup();
    await import(pathToFileURL(path.join(root, 'dist', 'server', 'main.js')).href);
  },
  async test() {
    await prepareRuntime();
    for (const prepare of Object.values(TEST_PARTS)) prepare();
    // Browser tests load the built client.
    ensureBuild(root);
    await checks([
      ['lint', 'eslint', ['.']],
      ['import circles', 'depcruise', ['src', '--config', '.dependency-cruiser.cjs']],
      ['format', 'prettier', ['--check', '.']],
      ['typecheck (server)', 'tsc', ['-p', 'tsconfig.json', '--noEmit']],
      ['typecheck (client)', 'vue-tsc', ['-p', 'client/tsconfig.json', '--noEmit']],
    ]);
    step('tests', 'vitest', ['run']);
  },
  async bench() {
    await prepareRuntime();
    TEST_PARTS.chromium();
    TEST_PARTS['network-tools']();
    ensureBuild(root);
    step('benchmarks', 'tsx', ['bench/run.ts', ...process.argv.slice(3)]);
  },
  /** One part the tests need (`prepare firefox`): installs or explains it; a browser's path is printed. */
  async prepare() {
    const part = TEST_PARTS[process.argv[3] ?? ''];
    if (!part)
      throw new SetupError(`usage: node scripts/aula.mjs prepare ${Object.keys(TEST_PARTS).join('|')}`);
    const path = part();
    if (path) process.stdout.write(`${path}\n`);
  },
  async platform() {
    await commands.setup();
    const cli = path.join(root, 'dist', 'server', 'lti', 'platformCli.js');
    process.argv = [process.argv[0], cli, ...process.argv.slice(3)];
    await import(pathToFileURL(cli).href);
  },
};

const name = process.argv[2] ?? '';
const command = commands[name];
if (!command) {
  process.stderr.write(`usage: node scripts/aula.mjs ${Object.keys(commands).join('|')}\n`);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  if (error instanceof SetupError) {
    process.stderr.write(`\n[aula] ${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
