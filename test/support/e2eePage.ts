import type { Page } from 'playwright-core';
import { eventually } from './browser.js';

/** The security code the page's participant list shows (opened with its shortcut when closed). */
export async function securityCode(page: Page): Promise<string> {
  if ((await page.getByTestId('e2ee-security').count()) === 0) await page.keyboard.press('p');
  return eventually(async () => {
    const code = page.getByTestId('e2ee-code');
    return (await code.count()) ? ((await code.textContent())?.trim() ?? undefined) : undefined;
  }, 'the security code');
}

/** What the page says about the code: verified by this person, or not. */
export async function verification(page: Page): Promise<string> {
  return ((await page.getByTestId('e2ee-verification').textContent()) ?? '').trim();
}

/** A browser without RTCRtpScriptTransform and encoded streams: an init script deletes them. */
export const WITHOUT_FRAME_TRANSFORMS = `
  delete window.RTCRtpScriptTransform;
  delete RTCRtpSender.prototype.createEncodedStreams;
  delete RTCRtpReceiver.prototype.createEncodedStreams;`;
