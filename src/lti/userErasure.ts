import type { Connection } from 'mongoose';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { lmsUserKey } from '../classroom/userKeys.js';
import { eraseAuthor } from '../collab/documentErasure.js';
import { eraseLtijsUser } from './ltijsRecords.js';
import type { RosterService } from './RosterService.js';

export interface ErasedUser {
  platformId: string;
  issuer: string;
  lmsUserId: string;
}

/**
 * Erases one LMS user from Aula: attendance, chat (sent and received), seats,
 * roster entries, removal marks, their name as a classroom's creator, what
 * they drew on boards, their name on uploaded slides, the pen they were
 * given, their name on the shared notes' cursors and history (the text stays), the caption lines they
 * said or typed in kept transcripts, and ltijs's stored launch tokens. Each collection's owner deletes its part.
 */
export async function eraseUserData(
  deps: { services: ClassroomServices; rosters: RosterService; connection: Connection },
  user: ErasedUser,
): Promise<Record<string, number>> {
  const { services } = deps;
  const userKey = lmsUserKey(user.platformId, user.lmsUserId);
  return {
    attendance: await services.attendance.eraseUser(userKey),
    chatMessages: await services.chat.eraseUser(userKey),
    seats: await services.seats.eraseUser(userKey),
    rosters: await deps.rosters.eraseMember(user.platformId, user.lmsUserId),
    lessons: await services.lessons.eraseUser(userKey),
    pollAnswers: await services.polls.eraseUser(userKey),
    classroomsCreated: await services.classrooms.forgetCreator(userKey),
    // The notes keep the text a class wrote together; only the writer's name goes.
    sharedDocuments: await eraseAuthor(services.documents, userKey, { keepText: ['notes'] }),
    notesSnapshots: await services.snapshots.eraseUser(userKey),
    notebooks: await services.notebooks.eraseUser(userKey),
    slideDecks: await services.slides.eraseUser(userKey),
    boardSettings: await services.boardSettings.eraseUser(userKey),
    captionLines: await services.transcripts.eraseUser(userKey),
    recordings: await services.recordings.eraseUser(userKey),
    ...(await eraseLtijsUser(deps.connection, user)),
  };
}
