import { describe, expect, it } from 'vitest';
import { ensureBrowser } from '../../scripts/setup/browsers.mjs';
import { ensureClusterTools } from '../../scripts/setup/clusterTools.mjs';
import { ensureMediaTools } from '../../scripts/setup/mediaTools.mjs';
import { ensureNetworkTools } from '../../scripts/setup/networkTools.mjs';
import { DPKG_ANSWERS, recordedMachine } from './recordedMachine.js';

const INSTALL = 'apt-get install -y --no-install-recommends';

describe('the browsers the tests drive', () => {
  it('uses the binary AULA_FIREFOX_PATH names, without asking dpkg', () => {
    const machine = recordedMachine({ dpkg: {}, files: ['/opt/firefox/firefox'] });
    expect(ensureBrowser('firefox', { AULA_FIREFOX_PATH: '/opt/firefox/firefox' }, machine)).toBe(
      '/opt/firefox/firefox',
    );
    expect(machine.ran).toEqual([]);
  });

  it('refuses an AULA_CHROMIUM_PATH that does not exist', () => {
    const machine = recordedMachine({ dpkg: {} });
    expect(() => ensureBrowser('chromium', { AULA_CHROMIUM_PATH: '/nowhere/chrome' }, machine)).toThrow(
      'AULA_CHROMIUM_PATH=/nowhere/chrome does not exist',
    );
  });

  it('installs firefox-esr as root when dpkg reports it not installed, and answers its command', () => {
    const machine = recordedMachine({ dpkg: { 'firefox-esr': DPKG_ANSWERS.notInstalled } });
    expect(ensureBrowser('firefox', {}, machine)).toBe('/usr/bin/firefox-esr');
    expect(machine.ran).toEqual([`${INSTALL} firefox-esr`]);
  });

  it('installs chromium as root when dpkg has never heard of it', () => {
    const machine = recordedMachine({ dpkg: {} });
    expect(ensureBrowser('chromium', {}, machine)).toBe('/usr/bin/chromium');
    expect(machine.ran).toEqual([`${INSTALL} chromium`]);
  });

  it('names the install command when not root', () => {
    const machine = recordedMachine({ root: false, dpkg: { 'firefox-esr': DPKG_ANSWERS.configFiles } });
    expect(() => ensureBrowser('firefox', {}, machine)).toThrow(
      `the Firefox tests needs these Debian packages: firefox-esr\n  install them as root with: ${INSTALL} firefox-esr`,
    );
  });

  it('uses a browser on PATH on a machine without dpkg', () => {
    const machine = recordedMachine({ onPath: ['chromium'] });
    expect(ensureBrowser('chromium', {}, machine)).toBe('/usr/bin/chromium');
  });

  it('names the package and the variable when a machine without dpkg has no browser', () => {
    const machine = recordedMachine({});
    expect(() => ensureBrowser('firefox', {}, machine)).toThrow(
      "Firefox is missing: install Debian's firefox-esr (as root: apt-get install -y firefox-esr), or set AULA_FIREFOX_PATH to a Firefox binary",
    );
  });
});

describe('the tools of the load-balancer, TURN and network tests', () => {
  it('installs haproxy and coturn as root and stops the services the packages started', () => {
    const machine = recordedMachine({
      dpkg: { openssl: DPKG_ANSWERS.installed },
      files: ['/run/systemd/system'],
    });
    ensureClusterTools(machine);
    expect(machine.ran).toEqual([
      `${INSTALL} haproxy coturn`,
      'systemctl disable --now haproxy',
      'systemctl disable --now coturn',
    ]);
  });

  it('leaves a service alone that was installed before', () => {
    const machine = recordedMachine({
      dpkg: { openssl: DPKG_ANSWERS.installed, haproxy: DPKG_ANSWERS.installed },
      files: ['/run/systemd/system'],
    });
    ensureClusterTools(machine);
    expect(machine.ran).toEqual([`${INSTALL} coturn`, 'systemctl disable --now coturn']);
  });

  it('skips the tests with the install command when not root', () => {
    const machine = recordedMachine({
      root: false,
      dpkg: { nftables: DPKG_ANSWERS.configFiles, iproute2: DPKG_ANSWERS.installed },
    });
    ensureNetworkTools(machine);
    expect(machine.ran).toEqual([]);
    expect(machine.logged).toEqual([
      'the network fault tests needs these Debian packages: nftables\n' +
        `  install them as root with: ${INSTALL} nftables\n` +
        '  until then the network fault tests are skipped',
    ]);
  });
});

describe('the media tools of the recording and caption tests', () => {
  it('installs the ones dpkg does not list, as root', () => {
    const machine = recordedMachine({ dpkg: { ffmpeg: DPKG_ANSWERS.installed } });
    ensureMediaTools(machine);
    expect(machine.ran).toEqual([`${INSTALL} espeak-ng pocketsphinx pocketsphinx-en-us`]);
  });

  it('skips the tests with the install command when not root', () => {
    const machine = recordedMachine({ root: false, dpkg: { ffmpeg: DPKG_ANSWERS.configFiles } });
    ensureMediaTools(machine);
    expect(machine.ran).toEqual([]);
    expect(machine.logged).toEqual([
      'the recording and caption tests needs these Debian packages: ffmpeg espeak-ng pocketsphinx pocketsphinx-en-us\n' +
        `  install them as root with: ${INSTALL} ffmpeg espeak-ng pocketsphinx pocketsphinx-en-us\n` +
        '  until then the recording and caption tests are skipped',
    ]);
  });
});
