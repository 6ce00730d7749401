import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordingChannel, fakeClassroom, settle } from '../../../support/fakeClassroom.js';
import { fakeLesson } from '../../../support/fakeLesson.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('joining and leaving (rules)', () => {
  it('checks the join guards in order: switched off, removed, not started, locked, waiting room, seat', async () => {
    let active = true;
    const { classroom, joins, records, tabs } = await fakeLesson(['seated'], {
      seatCap: 2,
      active: () => active,
    });
    active = false;
    await expect(joins('off')).rejects.toMatchObject({ code: 'SWITCHED_OFF' });
    active = true;
    await classroom.interaction.moderation.remove(tabs.seated!.participant.id);
    await expect(joins('seated', 'student', 'student:seated')).rejects.toMatchObject({ code: 'REMOVED' });
    await classroom.interaction.moderation.lock(true);
    await expect(joins('late')).rejects.toMatchObject({ code: 'ROOM_LOCKED' });
    await classroom.interaction.moderation.lock(false);
    await classroom.applySettings({ lobbyEnabled: true });
    expect((await joins('waits')).result).toMatchObject({ status: 'lobby', reason: 'waiting-room' });
    await classroom.applySettings({ lobbyEnabled: false });
    // The removed student's seat is free again: two seats, two students.
    expect((await joins('second')).result.status).toBe('joined');
    expect((await joins('third')).result.status).toBe('joined');
    await expect(joins('fourth')).rejects.toMatchObject({ code: 'ROOM_FULL', details: { seatCap: 2 } });
    expect([...records.seats.values()][0]?.size).toBe(2);
  });

  it('waits for the start when no lesson runs, and refuses a second join of the same tab', async () => {
    const fake = await fakeClassroom();
    const early = fake.open('early');
    expect((await fake.classroom.join(early.participant)).result).toMatchObject({
      status: 'lobby',
      reason: 'not-started',
    });
    await expect(fake.classroom.join(early.participant)).rejects.toMatchObject({ code: 'ALREADY_JOINED' });
  });

  it('gives two tabs of one person one seat and one attendance interval, and frees both when the last leaves', async () => {
    const { classroom, joins, records } = await fakeLesson();
    const first = await joins('Ada', 'student', 'student:ada');
    const second = await joins('Ada', 'student', 'student:ada');
    const seats = () => [...records.seats.values()][0]!;
    expect(seats().size).toBe(1);
    expect(records.attendance.filter((a) => a.userKey === 'student:ada')).toHaveLength(1);
    await classroom.membership.membership.leave(first.participant, 'left');
    expect(seats().has('student:ada')).toBe(true);
    expect(records.attendance.find((a) => a.userKey === 'student:ada')?.closedAt).toBeUndefined();
    await classroom.membership.membership.leave(second.participant, 'left');
    expect(seats().has('student:ada')).toBe(false);
    expect(records.attendance.find((a) => a.userKey === 'student:ada')?.closedAt).toBeInstanceOf(Date);
  });

  it('keeps a dropped page’s place, hand and group, and lets it continue with its resume key', async () => {
    const { classroom, tabs, records } = await fakeLesson(['anna']);
    const anna = tabs.anna!.participant;
    classroom.groups.main.hands.raise(anna);
    await classroom.membership.reconnection.disconnected(anna);
    expect(anna.state).toBe('away');
    // A wrong key is a new participant.
    const again = classroom.attach(anna.identity, new RecordingChannel());
    const wrongKey = await classroom.join(again, { participantId: anna.id, key: 'wrong', keepMedia: true });
    expect(wrongKey.participant).toBe(again);
    const other = classroom.attach(anna.identity, new RecordingChannel());
    const back = await classroom.join(other, {
      participantId: anna.id,
      key: anna.resumeKey,
      keepMedia: true,
    });
    expect(back.participant).toBe(anna);
    expect(back.result).toMatchObject({
      status: 'joined',
      self: { id: anna.id, away: false },
      resumed: { keptMedia: true },
    });
    expect(classroom.groups.main.hands.queue()).toEqual([anna.id]);
    expect(records.attendance.find((a) => a.userKey === anna.userKey)?.gaps).toBe(1);
  });

  it('lets a page that stayed away leave after the grace period, as of when its connection dropped', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { classroom, tabs, records } = await fakeLesson(['ben'], { graceMs: 3_000 });
    const ben = tabs.ben!.participant;
    const droppedAt = Date.now();
    await classroom.membership.reconnection.disconnected(ben);
    await vi.advanceTimersByTimeAsync(3_100);
    await settle();
    expect(ben.state).toBe('left');
    expect(records.attendance.find((a) => a.userKey === ben.userKey)?.closedAt?.getTime()).toBe(droppedAt);
    expect([...records.seats.values()][0]?.has(ben.userKey)).toBe(false);
  });
});
