import { describe, expect, it } from 'vitest';
import { ensureDebianPackages, installPlan, packageState } from '../../scripts/setup/debianPackages.mjs';
import { SetupError } from '../../scripts/setup/run.mjs';
import { DPKG_ANSWERS, recordedMachine } from './recordedMachine.js';

const INSTALL = 'apt-get install -y --no-install-recommends';

describe('what a dpkg-query answer says about a package', () => {
  it.each([
    ['installed', DPKG_ANSWERS.installed, 'present'],
    ['not-installed ("unknown ok not-installed")', DPKG_ANSWERS.notInstalled, 'absent'],
    ['config-files (removed, not purged)', DPKG_ANSWERS.configFiles, 'absent'],
    ['no packages found (never installed, or purged)', DPKG_ANSWERS.noPackagesFound('firefox-esr'), 'absent'],
    ['half-installed', DPKG_ANSWERS.halfInstalled, 'broken'],
    ['unpacked', DPKG_ANSWERS.unpacked, 'broken'],
    ['half-configured', DPKG_ANSWERS.halfConfigured, 'broken'],
    [
      'an answer it cannot read',
      { status: 2, stdout: '', stderr: 'dpkg-query: error: unknown option' },
      'absent',
    ],
  ])('reads %s', (_state, answer, expected) => {
    expect(packageState(answer)).toBe(expected);
  });
});

describe('the plan for a step’s packages', () => {
  const debian = {
    hasDpkg: true,
    hasAptGet: true,
    isRoot: true,
    hasSudo: false,
    purpose: 'the Firefox tests',
  };

  it('does nothing when every package is installed', () => {
    expect(
      installPlan({
        ...debian,
        packages: ['haproxy', 'coturn'],
        states: { haproxy: 'present', coturn: 'present' },
      }),
    ).toEqual({ kind: 'ready' });
  });

  it('installs only the missing packages as root', () => {
    const plan = installPlan({
      ...debian,
      packages: ['haproxy', 'coturn'],
      states: { haproxy: 'present', coturn: 'absent' },
    });
    expect(plan).toMatchObject({ kind: 'install', missing: ['coturn'], command: `${INSTALL} coturn` });
  });

  it('finishes an interrupted dpkg run before installing a half-installed package', () => {
    const plan = installPlan({ ...debian, packages: ['firefox-esr'], states: { 'firefox-esr': 'broken' } });
    expect(plan).toMatchObject({
      kind: 'install',
      steps: [
        ['dpkg', ['--configure', '-a']],
        ['apt-get', ['install', '-y', '--no-install-recommends', 'firefox-esr']],
      ],
      command: `dpkg --configure -a && ${INSTALL} firefox-esr`,
    });
  });

  it('names the exact command with sudo when not root', () => {
    const plan = installPlan({
      ...debian,
      isRoot: false,
      hasSudo: true,
      packages: ['firefox-esr'],
      states: {},
    });
    expect(plan.kind).toBe('explain');
    expect(plan.message).toBe(
      `the Firefox tests needs these Debian packages: firefox-esr\n  install them with: sudo ${INSTALL} firefox-esr`,
    );
  });

  it('names the command to run as root when not root and without sudo', () => {
    const plan = installPlan({
      ...debian,
      isRoot: false,
      packages: ['nftables'],
      states: { nftables: 'absent' },
    });
    expect(plan.message).toContain(`install them as root with: ${INSTALL} nftables`);
  });

  it('explains when root has dpkg but no apt-get', () => {
    const plan = installPlan({ ...debian, hasAptGet: false, packages: ['chromium'], states: {} });
    expect(plan.kind).toBe('explain');
    expect(plan.message).toContain(
      `apt-get is missing; install them with your package manager (on Debian: ${INSTALL} chromium)`,
    );
  });

  it('names the packages on a machine without dpkg', () => {
    const plan = installPlan({ ...debian, hasDpkg: false, packages: ['haproxy', 'coturn'], states: {} });
    expect(plan).toEqual({
      kind: 'not-debian',
      message:
        'not a Debian system; make sure these (or their equivalents) are installed for the Firefox tests: haproxy coturn',
    });
  });
});

describe('installing a step’s packages on a recorded machine', () => {
  it('installs a package dpkg reports as not-installed, as root', () => {
    const machine = recordedMachine({ dpkg: { 'firefox-esr': DPKG_ANSWERS.notInstalled } });
    expect(ensureDebianPackages(['firefox-esr'], 'the Firefox tests', machine)).toEqual(['firefox-esr']);
    expect(machine.ran).toEqual([`${INSTALL} firefox-esr`]);
  });

  it('installs a package removed without purging (config-files)', () => {
    const machine = recordedMachine({ dpkg: { 'firefox-esr': DPKG_ANSWERS.configFiles } });
    expect(ensureDebianPackages(['firefox-esr'], 'the Firefox tests', machine)).toEqual(['firefox-esr']);
  });

  it('leaves installed packages alone', () => {
    const machine = recordedMachine({
      dpkg: { haproxy: DPKG_ANSWERS.installed, coturn: DPKG_ANSWERS.installed },
    });
    expect(ensureDebianPackages(['haproxy', 'coturn'], 'the load-balancer tests', machine)).toEqual([]);
    expect(machine.ran).toEqual([]);
  });

  it('updates the package lists and tries once more when apt-get install fails', () => {
    const machine = recordedMachine({
      dpkg: {},
      failures: [{ command: 'apt-get install', status: 100 }],
    });
    expect(ensureDebianPackages(['coturn'], 'the TURN test', machine)).toEqual(['coturn']);
    expect(machine.ran).toEqual([`${INSTALL} coturn`, 'apt-get update', `${INSTALL} coturn`]);
  });

  it('names the command when apt-get fails even after updating', () => {
    const machine = recordedMachine({
      dpkg: {},
      failures: [
        { command: 'apt-get install', status: 100 },
        { command: 'apt-get install', status: 100 },
      ],
    });
    expect(() => ensureDebianPackages(['coturn'], 'the TURN test', machine)).toThrow(
      new SetupError(
        'the TURN test needs these Debian packages: coturn\n' +
          `  "${INSTALL} coturn" failed (see its output above); fix that, then run: ${INSTALL} coturn`,
      ),
    );
  });

  it('refuses to go on when apt-get succeeded but dpkg still does not list the package', () => {
    const machine = recordedMachine({ dpkg: { chromium: DPKG_ANSWERS.halfConfigured } });
    machine.run = (command: string, args: string[]) => {
      machine.ran.push([command, ...args].join(' '));
      return 0;
    };
    expect(() => ensureDebianPackages(['chromium'], 'the browser tests', machine)).toThrow(
      'dpkg does not list chromium as installed',
    );
    expect(machine.ran).toEqual(['dpkg --configure -a', `${INSTALL} chromium`]);
  });

  it('runs nothing and names the command when not root', () => {
    const machine = recordedMachine({ root: false, dpkg: {}, onPath: ['sudo'] });
    expect(() => ensureDebianPackages(['firefox-esr'], 'the Firefox tests', machine)).toThrow(
      `install them with: sudo ${INSTALL} firefox-esr`,
    );
    expect(machine.ran).toEqual([]);
  });

  it('runs nothing and names the packages without dpkg', () => {
    const machine = recordedMachine({});
    expect(ensureDebianPackages(['haproxy'], 'the load-balancer tests', machine)).toEqual([]);
    expect(machine.ran).toEqual([]);
    expect(machine.logged).toEqual([
      'not a Debian system; make sure these (or their equivalents) are installed for the load-balancer tests: haproxy',
    ]);
  });
});
