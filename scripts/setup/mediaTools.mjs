import { ensureDebianPackages } from './debianPackages.mjs';
import { SetupError } from './run.mjs';
import { hostSystem } from './system.mjs';

/**
 * The recording and caption tests take media out of the SFU with ffmpeg,
 * speak a known sentence with espeak-ng and recognise it with PocketSphinx's
 * English model. Without root they cannot be installed, so a missing tool only
 * skips those tests, with a line naming the install command.
 */
export const MEDIA_TOOL_PACKAGES = ['ffmpeg', 'espeak-ng', 'pocketsphinx', 'pocketsphinx-en-us'];

export function ensureMediaTools(system = hostSystem) {
  try {
    ensureDebianPackages(MEDIA_TOOL_PACKAGES, 'the recording and caption tests', system);
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    system.log('packages', `${error.message}\n  until then the recording and caption tests are skipped`);
  }
}
