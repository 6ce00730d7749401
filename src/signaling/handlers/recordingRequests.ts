import { Permission } from '../../classroom/permissions.js';
import { JOINED, PRESENT, defineRequests } from './defineRequest.js';

/** Recording: teachers start and stop it (only the one who started stops it); everyone answers for themselves. */
export const recordingRequests = defineRequests({
  'recording:start': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, participant }) => classroom.recording.start(participant),
  },
  'recording:stop': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, participant }) => classroom.recording.stop(participant),
  },
  'recording:consent': {
    // Asked while waiting too: an answer before the media starts.
    states: PRESENT,
    permission: null,
    run: ({ classroom, participant, payload }) => classroom.recording.consent(participant, payload),
  },
});
