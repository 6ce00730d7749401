import type { Classroom } from '../../ClassroomService.js';

/**
 * The one check point for lessons the server cannot hear: in an end-to-end
 * encrypted lesson the SFU relays media it cannot decode, so neither
 * automatic captions nor a server-relayed transcript exist there.
 */
export function captionsAvailable(classroom: Readonly<Classroom>): boolean {
  return !classroom.endToEndEncryption;
}
