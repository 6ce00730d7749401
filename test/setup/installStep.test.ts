import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `node scripts/aula.mjs prepare <part>`, the step `npm test` runs for each
// system part, on a machine whose PATH holds only stand-ins: a dpkg-query that
// answers from a state directory as dpkg does (per format, including the
// misleading `${Status}`), an apt-get that records its calls and "installs" by
// changing those answers and putting the package's command on PATH, and
// nothing else. So the step runs for real, against a machine where the
// package is missing, without touching this one.

const AULA = path.resolve('scripts', 'aula.mjs');
const machines: string[] = [];

afterEach(() => {
  for (const dir of machines.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Machine {
  dir: string;
  bin: string;
  /** The apt-get calls, one per line. */
  aptCalls(): string[];
}

/** dpkg-query as dpkg 1.21 answers: the state for `${db:Status-Status}`, "<want> ok <state>" for `${Status}`. */
const DPKG_QUERY = `#!/bin/sh
for last; do :; done
state_file="$STUB_STATE/$last"
if [ ! -f "$state_file" ]; then
  echo "dpkg-query: no packages found matching $last" >&2
  exit 1
fi
read -r state < "$state_file"
case "$2" in
  *'db:Status-Status'*) printf '%s' "$state" ;;
  *) printf 'unknown ok %s' "$state" ;;
esac
`;

/** apt-get: records the call; `install` fails until `update` ran when told so, else marks each package installed. */
const APT_GET = `#!/bin/sh
echo "$*" >> "$STUB_STATE/apt-calls"
case "$1" in
  update) : > "$STUB_STATE/updated"; exit 0 ;;
  install)
    if [ -f "$STUB_STATE/lists-missing" ] && [ ! -f "$STUB_STATE/updated" ]; then
      echo "E: Unable to locate package" >&2
      exit 100
    fi
    shift
    for name; do
      case "$name" in -*) continue ;; esac
      echo installed > "$STUB_STATE/$name"
      printf '#!/bin/sh\\n' > "$STUB_BIN/$name"
      /bin/chmod 755 "$STUB_BIN/$name"
    done ;;
esac
`;

function machine(
  options: { dpkg?: boolean; states?: Record<string, string>; listsMissing?: boolean } = {},
): Machine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-machine-'));
  machines.push(dir);
  // Readable by the unprivileged user the not-root cases run as, and so is the step itself: a
  // checkout may sit where that user cannot read (a fresh clone in a private temporary folder).
  fs.chmodSync(dir, 0o755);
  fs.cpSync(path.dirname(AULA), path.join(dir, 'scripts'), { recursive: true });
  const bin = path.join(dir, 'bin');
  const state = path.join(dir, 'state');
  fs.mkdirSync(bin);
  fs.mkdirSync(state, { mode: 0o777 });
  fs.chmodSync(state, 0o777);
  if (options.dpkg !== false) {
    fs.writeFileSync(path.join(bin, 'dpkg-query'), DPKG_QUERY, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'apt-get'), APT_GET, { mode: 0o755 });
  }
  for (const [name, value] of Object.entries(options.states ?? {})) {
    fs.writeFileSync(path.join(state, name), `${value}\n`);
  }
  if (options.listsMissing) fs.writeFileSync(path.join(state, 'lists-missing'), '');
  return {
    dir,
    bin,
    aptCalls: () => {
      const file = path.join(state, 'apt-calls');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
    },
  };
}

const isRoot = process.getuid?.() === 0;

/** Runs the step as root (in a user namespace of its own when this process is not root) or as nobody. */
function prepare(target: Machine, part: string, as: 'root' | 'user') {
  const env = {
    PATH: target.bin,
    HOME: target.dir,
    STUB_STATE: path.join(target.dir, 'state'),
    STUB_BIN: target.bin,
  };
  const step = [process.execPath, path.join(target.dir, 'scripts', 'aula.mjs'), 'prepare', part];
  const command =
    as === 'root'
      ? isRoot
        ? step
        : ['/usr/bin/unshare', '--map-root-user', ...step]
      : isRoot
        ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...step]
        : step;
  const result = spawnSync(command[0]!, command.slice(1), { env, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

const INSTALL = 'install -y --no-install-recommends';

describe('npm test’s set-up step on a machine where a package it needs is missing', () => {
  it('installs firefox-esr as root when dpkg reports "unknown ok not-installed", and uses it', () => {
    const target = machine({ states: { 'firefox-esr': 'not-installed' } });
    const result = prepare(target, 'firefox', 'root');
    expect(result.stderr).toContain('installing firefox-esr for the Firefox tests');
    expect(result.status).toBe(0);
    expect(target.aptCalls()).toEqual([`${INSTALL} firefox-esr`]);
    expect(result.stdout).toBe(path.join(target.bin, 'firefox-esr'));
  });

  it('installs chromium again after it was removed without purging (config-files)', () => {
    const target = machine({ states: { chromium: 'config-files' } });
    const result = prepare(target, 'chromium', 'root');
    expect(result.status).toBe(0);
    expect(target.aptCalls()).toEqual([`${INSTALL} chromium`]);
  });

  it('updates the package lists of a fresh machine when the first install fails', () => {
    const target = machine({ listsMissing: true });
    const result = prepare(target, 'firefox', 'root');
    expect(result.status).toBe(0);
    expect(target.aptCalls()).toEqual([`${INSTALL} firefox-esr`, 'update', `${INSTALL} firefox-esr`]);
  });

  it('installs what the cluster tests lack and leaves what is there', () => {
    const target = machine({ states: { haproxy: 'installed', openssl: 'installed' } });
    const result = prepare(target, 'cluster-tools', 'root');
    expect(result.status).toBe(0);
    expect(target.aptCalls()).toEqual([`${INSTALL} coturn`]);
  });

  it('names the exact command, and stops, when not root and Firefox is missing', () => {
    const target = machine({ states: { 'firefox-esr': 'not-installed' } });
    const result = prepare(target, 'firefox', 'user');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'the Firefox tests needs these Debian packages: firefox-esr\n' +
        `  install them as root with: apt-get ${INSTALL} firefox-esr`,
    );
    expect(target.aptCalls()).toEqual([]);
  });

  it('names the exact command, and goes on without those tests, when not root and nftables is missing', () => {
    const target = machine({ states: { iproute2: 'installed', nftables: 'config-files' } });
    const result = prepare(target, 'network-tools', 'user');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`install them as root with: apt-get ${INSTALL} nftables`);
    expect(result.stderr).toContain('until then the network fault tests are skipped');
  });

  it('names the package and the variable on a machine without dpkg or Firefox', () => {
    const target = machine({ dpkg: false });
    const result = prepare(target, 'firefox', 'root');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "Firefox is missing: install Debian's firefox-esr (as root: apt-get install -y firefox-esr), or set AULA_FIREFOX_PATH",
    );
  });
});
