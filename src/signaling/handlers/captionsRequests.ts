import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests, ok } from './defineRequest.js';

/**
 * Live captions: everyone in the lesson may switch them on for their page;
 * captioners (and teachers) type lines, at a limited rate; teachers choose
 * the captioners and whether a transcript is kept.
 */
export const captionsRequests = defineRequests({
  'captions:enable': {
    states: JOINED,
    permission: null,
    run: ({ classroom, participant, payload }) =>
      classroom.interaction.captions.enable(participant, payload.enabled),
  },
  'captions:send': {
    states: JOINED,
    permission: Permission.CAPTION,
    limit: 'captions',
    run: ({ classroom, participant, group, payload }) => ({
      line: classroom.interaction.captions.send(participant, group, payload.text),
    }),
  },
  'captions:captioner': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.interaction.captions.setCaptioner(
        classroom.membership.roster.target(payload.participantId),
        payload.allowed,
      );
      return ok;
    },
  },
  'captions:transcript': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.interaction.captions.keepTranscript(payload.keep);
      return ok;
    },
  },
});
