import { describe, expect, it } from 'vitest';
import { CAPTION_LINES_PER_10S, CAPTION_TEXT_MAX } from '../../src/protocol/index.js';
import { expectFailure } from '../support/classroomClient.js';
import { lessonWithStudents, tokenFor } from '../support/classroomFixtures.js';
import { suiteAula } from '../support/suiteAula.js';
import type { TestAula } from '../support/testAula.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

// Typed captions over the real signalling server: the captioner role, who receives lines, the refusals.
describe('typed captions', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it("delivers a captioner's line only to the pages that switched captions on", async () => {
    const { teacher, students } = await lessonWithStudents(aula, ['cara', 'reader', 'other'], clients);
    const [cara, reader, other] = students;
    await teacher.request('captions:captioner', { participantId: cara!.id, allowed: true });
    expect(await cara!.client.next('permissionsChanged', (p) => p.caption)).toMatchObject({ caption: true });
    const enabled = await reader!.client.request('captions:enable', { enabled: true });
    expect(enabled.state).toMatchObject({ available: true, enabled: true, captioners: [cara!.id] });

    const { line } = await cara!.client.request('captions:send', { text: 'Today: fractions.' });
    expect(await reader!.client.next('captions:line')).toEqual(line);
    expect(line).toMatchObject({ text: 'Today: fractions.', source: 'typed', final: true });
    expect(line.speaker).toEqual({ id: cara!.id, displayName: 'cara' });
    await settle();
    expect(other!.client.events.filter((event) => event.name === 'captions:line')).toEqual([]);
    expect(teacher.events.filter((event) => event.name === 'captions:line')).toEqual([]);

    // Switching on later brings the short history; switching off stops the lines.
    const late = await other!.client.request('captions:enable', { enabled: true });
    expect(late.history.map((entry) => entry.text)).toEqual(['Today: fractions.']);
    await reader!.client.request('captions:enable', { enabled: false });
    await cara!.client.request('captions:send', { text: 'Page 12.' });
    expect((await other!.client.next('captions:line')).text).toBe('Page 12.');
    await settle();
    expect(reader!.client.events.filter((event) => event.name === 'captions:line')).toEqual([]);
  });

  it('refuses a caption from someone without the role, and the role once taken back', async () => {
    const { teacher, students } = await lessonWithStudents(aula, ['eve'], clients);
    const eve = students[0]!;
    expect(await expectFailure(eve.client.request('captions:send', { text: 'fake' }))).toMatchObject({
      status: 403,
      code: 'PERMISSION_DENIED',
      details: { permission: 'caption' },
    });
    await teacher.request('captions:captioner', { participantId: eve.id, allowed: true });
    await eve.client.request('captions:send', { text: 'now I may' });
    await teacher.request('captions:captioner', { participantId: eve.id, allowed: false });
    expect(await expectFailure(eve.client.request('captions:send', { text: 'not any more' }))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    // Only teachers choose captioners.
    expect(
      await expectFailure(eve.client.request('captions:captioner', { participantId: eve.id, allowed: true })),
    ).toMatchObject({ code: 'PERMISSION_DENIED', details: { permission: 'moderate' } });
  });

  it('refuses oversized text and a flood of lines with typed errors', async () => {
    const { teacher } = await lessonWithStudents(aula, [], clients);
    expect(
      await expectFailure(teacher.request('captions:send', { text: 'x'.repeat(CAPTION_TEXT_MAX + 1) })),
    ).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(await expectFailure(teacher.request('captions:send', { text: '   ' }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await teacher.raw('captions:send', { text: 'y'.repeat(70_000) })).toMatchObject({
      ok: false,
      error: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
    });
    const results = await Promise.allSettled(
      Array.from({ length: CAPTION_LINES_PER_10S + 3 }, (_, index) =>
        teacher.request('captions:send', { text: `line ${index}` }),
      ),
    );
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect((refused[0] as { error: { code: string; status: number } }).error).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
    });
  });

  it('keeps a transcript only when the teacher asks for one', async () => {
    const { teacher, classroom, lessonId } = await lessonWithStudents(aula, [], clients);
    await teacher.request('captions:send', { text: 'not kept' });
    await teacher.request('captions:transcript', { keep: true });
    expect((await teacher.next('captions:state', (state) => state.transcript)).transcript).toBe(true);
    await teacher.request('captions:send', { text: 'kept for the class' });
    await aula.services.writes.settled();
    const lines = await aula.services.transcripts.lesson(classroom._id, lessonId);
    expect(lines.map((line) => line.text)).toEqual(['kept for the class']);

    // The teacher downloads it; a student may not.
    const url = `${aula.url}/api/classrooms/${classroom._id}/lessons/${lessonId}/captions.txt`;
    const as = async (id: string, role: 'teacher' | 'student') => ({
      authorization: `Bearer ${await tokenFor(aula, classroom._id, { id, role })}`,
    });
    const download = await fetch(url, { headers: await as(`teacher-${classroom._id}`, 'teacher') });
    expect(download.status).toBe(200);
    expect(await download.text()).toMatch(/^\d\d:\d\d:\d\d teacher-\S+: kept for the class\n$/);
    const refused = await fetch(url, { headers: await as('someone', 'student') });
    expect(refused.status).toBe(403);
  });
});
