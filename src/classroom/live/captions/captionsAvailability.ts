import type { Classroom } from '../../ClassroomService.js';

/**
 * The one check point for lessons the server cannot hear: in an end-to-end
 * encrypted lesson the SFU relays media it cannot decode, so neither
 * automatic captions nor a server-relayed transcript exist there. The
 * classroom's `endToEndEncryption` flag comes with issue 29's encryption;
 * until a classroom has it, every lesson may have captions.
 */
export function captionsAvailable(classroom: Readonly<Classroom>): boolean {
  return !('endToEndEncryption' in classroom && classroom.endToEndEncryption === true);
}
