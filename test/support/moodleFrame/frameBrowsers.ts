import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS } from '../browser.js';
import { launchFirefox, type TestFirefox } from '../firefox.js';
import { LMS_HOST, TOOL_HOST, type MoodleScene } from './moodleScene.js';

export interface FrameChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's Chromium with a profile of its own, third-party cookies blocked
 * or allowed the way a person or a school's policy sets them (the profile's
 * cookie controls), both test sites on this machine, the test's certificate
 * trusted by its key.
 */
export async function launchFrameChromium(
  scene: MoodleScene,
  thirdPartyCookies: 'blocked' | 'allowed',
): Promise<FrameChromium> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-chromium-frame-'));
  fs.mkdirSync(path.join(profile, 'Default'));
  fs.writeFileSync(
    path.join(profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: thirdPartyCookies === 'blocked' ? 1 : 0 } }),
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      `--host-resolver-rules=MAP ${LMS_HOST} 127.0.0.1, MAP ${TOOL_HOST} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${scene.certificate.spki}`,
    ],
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Debian's Firefox ESR with its default (partitioned) cookies, every name on this machine, the test's certificate accepted. */
export function launchFrameFirefox(): Promise<TestFirefox> {
  return launchFirefox({
    preferences: {
      'network.dns.forceResolve': '127.0.0.1',
      // Firefox's default since 103, stated so that nothing the remote agent sets can change it:
      // third-party cookies are kept, partitioned by the top-level site (total cookie protection).
      'network.cookie.cookieBehavior': 5,
    },
    acceptInsecureCerts: true,
  });
}
