import { describe, expect, it } from 'vitest';
import { documentRecordId } from '../../src/collab/DocumentStore.js';
import type { DeckView } from '../../src/protocol/index.js';
import type { ClassroomClient } from '../support/classroomClient.js';
import { connectAs, liveLesson, tokenFor } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { suiteAula } from '../support/suiteAula.js';
import { slidesPdf } from '../support/testPdfs.js';
import type { TestAula } from '../support/testAula.js';

// The retention sweep with the real server and database: a board and slides
// past their retention are deleted with every part of them (the snapshot,
// the PDF's bytes); those still within it, and other classrooms', stay.

let aula: TestAula;
const clients: ClassroomClient[] = suiteAula((started) => (aula = started));

async function lessonWithBoardAndSlides(): Promise<{ classroomId: string; deck: DeckView; token: string }> {
  const { classroom, teacher } = await liveLesson(aula);
  clients.push(teacher);
  const token = await tokenFor(aula, classroom._id, { id: `teacher-${classroom._id}`, role: 'teacher' });
  const response = await fetch(`${aula.url}/api/classrooms/${classroom._id}/slides?name=a.pdf`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
    body: Buffer.from(await slidesPdf(2)),
  });
  const { deck } = (await response.json()) as { deck: DeckView };
  const board = new DocumentClient(teacher);
  await board.open();
  await board.drawFinished('b:1', [10, 10, 0.5, 20, 20, 0.5], '#e03131');
  await board.draw(`s:${deck.id}:1`);
  await (await aula.services.rooms.peek(classroom._id))!.collab.flush(5_000);
  return { classroomId: classroom._id, deck, token };
}

describe('the retention sweep', () => {
  it("deletes a board and slides past their retention, with the PDF's bytes, and keeps the others", async () => {
    const { models } = aula.database;
    const old = await lessonWithBoardAndSlides();
    const kept = await lessonWithBoardAndSlides();
    // The first lesson was long ago: its board and slides are past their retention.
    const oldBoard = documentRecordId(old.classroomId, 'board', null);
    const past = new Date(Date.now() - 1000);
    await models.collabDocuments.updateOne({ _id: oldBoard }, { $set: { expiresAt: past } });
    await models.slideDecks.updateOne({ _id: old.deck.id }, { $set: { expiresAt: past } });
    expect(await models.slideChunks.countDocuments({ _id: { $regex: `^${old.deck.id}:` } })).toBeGreaterThan(
      0,
    );

    const { deleted } = await aula.retention.sweep();
    expect(deleted).toMatchObject({ collabDocuments: 1, slideDecks: 1 });

    expect(await models.collabDocuments.findById(oldBoard).lean()).toBeNull();
    expect(await models.slideDecks.findById(old.deck.id).lean()).toBeNull();
    expect(await models.slideChunks.countDocuments({ _id: { $regex: `^${old.deck.id}:` } })).toBe(0);
    const list = await fetch(`${aula.url}/api/classrooms/${old.classroomId}/slides`, {
      headers: { authorization: `Bearer ${old.token}` },
    });
    expect(((await list.json()) as { decks: unknown[] }).decks).toEqual([]);

    // The other classroom's board and slides are whole.
    const keptBoard = await models.collabDocuments
      .findById(documentRecordId(kept.classroomId, 'board', null))
      .lean();
    expect(keptBoard).not.toBeNull();
    expect(await models.slideDecks.findById(kept.deck.id).lean()).not.toBeNull();
    const reader = await connectAs(aula, kept.classroomId, {
      id: `teacher-${kept.classroomId}`,
      role: 'teacher',
    });
    clients.push(reader);
    await reader.request('join');
    const board = new DocumentClient(reader);
    await board.open();
    expect(board.shapes('b:1')).toHaveLength(1);
  });
});
