import { Permission } from '../../classroom/permissions.js';
import { JOINED, PRESENT, defineRequests, ok } from './defineRequest.js';

/**
 * The shared notes around their text: pages, who may write, the groups'
 * notes and snapshots. Everyone who may see the notes reads their pages
 * (also while waiting for the lesson); teachers and TAs change the rest.
 * The text travels on the collaboration channel, whose rules decide per
 * update who may write.
 */
export const notesRequests = defineRequests({
  'notes:state': {
    states: PRESENT,
    permission: null,
    run: ({ classroom }) => classroom.notes.state(),
  },
  'notes:addPage': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => classroom.notes.addPage(payload.title),
  },
  'notes:renamePage': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.notes.renamePage(payload.pageId, payload.title);
      return ok;
    },
  },
  'notes:writers': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.notes.setWriters(payload.mode);
      return ok;
    },
  },
  'notes:mayWrite': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.notes.mayWrite(payload.participantId, payload.allowed);
      return ok;
    },
  },
  'notes:groups': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom }) => ({ groups: await classroom.notes.groupNotes() }),
  },
  'notes:merge': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, participant, payload }) => {
      await classroom.notes.merge(participant, payload.group, payload.pageId, payload.heading);
      return ok;
    },
  },
  'notes:snapshot': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => classroom.notes.takeSnapshot(payload.name),
  },
  'notes:snapshots': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ classroom }) => ({ snapshots: await classroom.notes.snapshots() }),
  },
  'notes:restore': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ classroom, participant, payload }) => {
      await classroom.notes.restoreSnapshot(participant, payload.snapshotId);
      return ok;
    },
  },
});
