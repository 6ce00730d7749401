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
import { ensureMediaTools } from './setup/mediaTools.mjs';
import { ensureVoskModel } from './setup/voskModel.mjs';
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
  'media-tools': () => ensureMediaTools(),
  'vosk-model': () => ensureVoskModel(),
};

function step(name, command, args) {
  log('test', name);
  const bin = path.join(root, 'node_modules', '.bin', command);
  const result = spawnSync(bin, args, { stdio: 'inherit', cwd: root, env: process.env });
  if (result.status !== 0) throw new SetupError(`${name} failed`);
}

/**
 * Runs a tool from node_modules/.bin with the run's environment and answers
 * whether it succeeded; `each` receives its stdout and stderr streams.
 */
function runTool(command, args, each) {
  return new Promise((resolve) => {
    const bin = path.join(root, 'node_modules', '.bin', command);
    const child = spawn(bin, args, { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    each(child.stdout, process.stdout);
    each(child.stderr, process.stderr);
    child.on('error', (error) => {
      process.stderr.write(`${String(error)}\n`);
      resolve(false);
    });
    child.on('close', (code) => resolve(code === 0));
  });
}

/** Throws naming every part of a side-by-side step that failed. */
function failedParts(outcomes, what) {
  const failed = outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.name);
  if (failed.length) throw new SetupError(what(failed.join(' and ')));
}

/**
 * Checks that read the sources and nothing else, run side by side (each is
 * single-threaded); each one's output is shown when it ends, the failures
 * named together.
 */
async function checks(list) {
  log('test', list.map(([name]) => name).join(', '));
  const outcomes = await Promise.all(
    list.map(async ([name, command, args]) => {
      const output = [];
      const ok = await runTool(command, args, (from) => from.on('data', (chunk) => output.push(chunk)));
      return { name, ok, output };
    }),
  );
  for (const { name, ok, output } of outcomes) {
    if (output.length) process.stdout.write(Buffer.concat(output));
    if (!ok) log('test', `${name} failed`);
  }
  failedParts(outcomes, (names) => `${names} failed`);
}

/**
 * The tests in lanes side by side, each running its files one after another
 * (which files go where: vitest.config.ts). Each line of output names its lane.
 */
async function lanes(list) {
  log('test', `tests in ${list.length} lanes: ${list.map(([name]) => name).join(', ')}`);
  const prefixedWith = (name) => (from, to) => {
    let rest = '';
    from.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) to.write(`[${name}] ${line}\n`);
    });
    from.on('end', () => rest && to.write(`[${name}] ${rest}\n`));
  };
  const outcomes = await Promise.all(
    list.map(async ([name, command, args]) => ({
      name,
      ok: await runTool(command, args, prefixedWith(name)),
    })),
  );
  failedParts(outcomes, (names) => `tests failed in the ${names} lane`);
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
    await lanes([
      ['browser', 'vitest', ['run', '--project', 'browser']],
      ['resilience', 'vitest', ['run', '--project', 'resilience']],
      ['server', 'vitest', ['run', '--project', 'server', '--project', 'client']],
    ]);
    // What measures media against a limited line runs with the machine to itself.
    step('tests alone', 'vitest', ['run', '--project', 'alone']);
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
