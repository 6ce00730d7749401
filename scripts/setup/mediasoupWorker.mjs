// Obtains the mediasoup worker binary without mediasoup's postinstall, which
// needs GitHub twice (prebuilt worker, C++ dependency tarballs). Order: an
// explicit MEDIASOUP_WORKER_BIN, the cache, a prebuilt download, a local build
// against Debian's libraries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cacheDir, installFile, platformKey } from './cache.mjs';
import { capture, log, run, SetupError, commandExists } from './run.mjs';
import { ensureDebianPackages } from './debianPackages.mjs';

const require = createRequire(import.meta.url);
const MESON_VERSION = '1.5.2';
const BUILD_PACKAGES = [
  'g++',
  'make',
  'pkg-config',
  'ninja-build',
  'libuv1-dev',
  'libssl-dev',
  'libsrtp2-dev',
  'libusrsctp-dev',
  'libabsl-dev',
  'nlohmann-json3-dev',
  'catch2',
];

/** mediasoup's worker exits with 41 when started without MEDIASOUP_VERSION: proof it loads and runs here. */
function workerRuns(bin) {
  if (!fs.existsSync(bin)) return false;
  const env = { ...process.env };
  delete env.MEDIASOUP_VERSION;
  return spawnSync(bin, [], { env, stdio: 'ignore', timeout: 10_000 }).status === 41;
}

function mediasoupPackage() {
  const manifest = require.resolve('mediasoup/package.json', { paths: [process.cwd()] });
  return { version: require(manifest).version, dir: path.dirname(manifest) };
}

async function downloadPrebuilt(version, target) {
  const name = `mediasoup-worker-${version}-${os.platform()}-${os.arch()}.tgz`;
  const url = `https://github.com/versatica/mediasoup/releases/download/${version}/${name}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
    if (!response.ok) {
      log('mediasoup', `no prebuilt worker (${response.status}); building it`);
      return false;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-worker-'));
    const archive = path.join(dir, name);
    fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    run('tar', ['-xzf', archive, '-C', dir]);
    const bin = path.join(dir, 'mediasoup-worker');
    if (!workerRuns(bin)) {
      log('mediasoup', 'the prebuilt worker does not run on this machine; building it');
      return false;
    }
    installFile(bin, target);
    fs.rmSync(dir, { recursive: true, force: true });
    return true;
  } catch (error) {
    log('mediasoup', `prebuilt worker unavailable (${error.cause?.code ?? error.message}); building it`);
    return false;
  }
}

function mesonAtLeast11(meson) {
  const version = capture(meson, ['--version']);
  if (!version) return false;
  const [major, minor] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 1);
}

/** Debian 12 ships meson 1.0.1; mediasoup needs >= 1.1, so pip's meson goes into a cached venv. */
function ensureMeson() {
  if (commandExists('meson') && mesonAtLeast11('meson')) return 'meson';
  const venv = cacheDir('tools', `meson-${MESON_VERSION}`);
  const meson = path.join(venv, 'bin', 'meson');
  if (mesonAtLeast11(meson)) return meson;
  const python = commandExists('python3') ? 'python3' : 'python';
  log('mediasoup', `installing meson ${MESON_VERSION} from PyPI into ${venv}`);
  run(python, ['-m', 'venv', '--clear', venv]);
  run(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', `meson==${MESON_VERSION}`]);
  return meson;
}

// Each folder stands in for a wrap that would download sources: it exposes the
// Debian library under the variable names mediasoup's meson.build reads. The
// link_whole targets can stay empty because the real libraries arrive through
// the dependencies.
const SUBPROJECTS = {
  openssl: `
openssl_dep = dependency('openssl')
libcrypto_lib = static_library('aula_crypto', 'empty.c')
libssl_lib = static_library('aula_ssl', 'empty.c')`,
  nlohmann_json: `
nlohmann_json_dep = dependency('nlohmann_json')`,
  libuv: `
libuv_dep = dependency('libuv')
libuv = static_library('aula_uv', 'empty.c')`,
  libsrtp2: `
srtp = dependency('libsrtp2')
# Debian keeps srtp.h under include/srtp2; mediasoup includes <srtp.h>.
libsrtp2_dep = declare_dependency(
  dependencies: srtp,
  compile_args: ['-I' + srtp.get_variable(pkgconfig: 'includedir') / 'srtp2'],
)
libsrtp2 = static_library('aula_srtp2', 'empty.c')`,
  usrsctp: `
usrsctp_dep = dependency('usrsctp')
usrsctp = static_library('aula_usrsctp', 'empty.c')`,
  'abseil-cpp': `
absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'),
  dependency('absl_flat_hash_set'),
  dependency('absl_btree'),
  dependency('absl_inlined_vector'),
])
absl_container_lib = static_library('aula_absl', 'empty.c')
absl_strings_dep = dependency('absl_strings')
absl_types_dep = declare_dependency(dependencies: [
  dependency('absl_optional'),
  dependency('absl_variant'),
  dependency('absl_span'),
])`,
  catch2: `
catch2_dep = dependency('catch2')`,
};

// Options mediasoup passes to these subprojects; meson rejects unknown ones.
const SUBPROJECT_OPTIONS = {
  libuv: ['build_tests', 'build_benchmarks'].map(
    (name) => `option('${name}', type: 'boolean', value: false)`,
  ),
  libsrtp2: [
    "option('crypto-library', type: 'string', value: 'openssl')",
    "option('crypto-library-kdf', type: 'string', value: 'disabled')",
    "option('tests', type: 'string', value: 'disabled')",
  ],
  usrsctp: ["option('sctp_build_programs', type: 'boolean', value: false)"],
};

function placeSubprojects(workerDir) {
  const subprojects = path.join(workerDir, 'subprojects');
  fs.rmSync(subprojects, { recursive: true, force: true });
  for (const [name, body] of Object.entries(SUBPROJECTS)) {
    const dir = path.join(subprojects, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'empty.c'), '');
    fs.writeFileSync(path.join(dir, 'meson.build'), `project('${name}', 'c', 'cpp')\n${body}\n`);
    const options = SUBPROJECT_OPTIONS[name];
    if (options) fs.writeFileSync(path.join(dir, 'meson_options.txt'), `${options.join('\n')}\n`);
  }
}

function buildFromSources(mediasoupDir, target) {
  if (os.platform() !== 'linux') {
    throw new SetupError(
      'building the mediasoup worker from Debian libraries only works on Linux; set MEDIASOUP_WORKER_BIN to a worker binary',
    );
  }
  ensureDebianPackages(BUILD_PACKAGES, 'building the mediasoup worker');
  const meson = ensureMeson();
  const buildRoot = `${target}.build`;
  fs.rmSync(buildRoot, { recursive: true, force: true });
  const workerDir = path.join(buildRoot, 'worker');
  fs.cpSync(path.join(mediasoupDir, 'worker'), workerDir, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}out${path.sep}`) && !source.endsWith(`${path.sep}out`),
  });
  placeSubprojects(workerDir);
  const outDir = path.join(buildRoot, 'out');
  log('mediasoup', 'building the worker from source (about 4 minutes on 2 cores)');
  run(meson, [
    'setup',
    '--buildtype=release',
    '-Db_ndebug=true',
    '--wrap-mode=nodownload',
    outDir,
    workerDir,
  ]);
  run(meson, ['compile', '-C', outDir, 'mediasoup-worker']);
  const built = path.join(outDir, 'mediasoup-worker');
  if (!workerRuns(built)) throw new SetupError(`the worker built at ${built} does not run`);
  installFile(built, target);
  fs.rmSync(buildRoot, { recursive: true, force: true });
}

/** Returns the path of a mediasoup worker binary that runs on this machine. */
export async function ensureMediasoupWorker() {
  const explicit = process.env.MEDIASOUP_WORKER_BIN;
  if (explicit) {
    if (!workerRuns(explicit))
      throw new SetupError(`MEDIASOUP_WORKER_BIN=${explicit} is not a runnable mediasoup worker`);
    return explicit;
  }
  const { version, dir } = mediasoupPackage();
  const target = path.join(cacheDir('mediasoup-worker', `${version}-${platformKey()}`), 'mediasoup-worker');
  if (workerRuns(target)) return target;
  if (!(await downloadPrebuilt(version, target))) buildFromSources(dir, target);
  log('mediasoup', `worker ready at ${target}`);
  return target;
}
