import { boardRequests } from './boardRequests.js';
import { breakoutRequests } from './breakoutRequests.js';
import { captionsRequests } from './captionsRequests.js';
import { chatRequests } from './chatRequests.js';
import { collabRequests } from './collabRequests.js';
import { e2eeRequests } from './e2eeRequests.js';
import type { RequestRegistry } from './defineRequest.js';
import { handRequests } from './handRequests.js';
import { lessonRequests } from './lessonRequests.js';
import { lobbyRequests } from './lobbyRequests.js';
import { mediaRequests } from './mediaRequests.js';
import { moderationRequests } from './moderationRequests.js';
import { notesRequests } from './notesRequests.js';
import { pollRequests } from './pollRequests.js';
import { recordingRequests } from './recordingRequests.js';
import { sessionRequests } from './sessionRequests.js';

/** Every request of the protocol, one spec each; the type makes a missing one a compile error. */
export const requestRegistry: RequestRegistry = {
  ...sessionRequests,
  ...mediaRequests,
  ...e2eeRequests,
  ...chatRequests,
  ...handRequests,
  ...lessonRequests,
  ...lobbyRequests,
  ...moderationRequests,
  ...pollRequests,
  ...breakoutRequests,
  ...collabRequests,
  ...boardRequests,
  ...notesRequests,
  ...captionsRequests,
  ...recordingRequests,
};

export type { RequestContext, RequestRegistry, RequestSpec } from './defineRequest.js';
