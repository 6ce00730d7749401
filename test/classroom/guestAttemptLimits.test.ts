import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GuestAttemptLimits } from '../../src/classroom/GuestAttemptLimiter.js';
import { createClassroom } from '../support/classroomFixtures.js';
import { suiteAula } from '../support/suiteAula.js';
import type { TestAula } from '../support/testAula.js';

const PASSWORD = 'Correct4Horse';

/** Aula behind a proxy, as in production: each request names its client address. */
function guestAula(limits: Partial<GuestAttemptLimits> = {}) {
  let aula: TestAula;
  suiteAula((started) => (aula = started), { AULA_TRUST_PROXY: '1' }, { guestAttemptLimits: limits });
  let rooms = 0;
  return {
    /** A classroom with guest access on; answers its room name. */
    async room(): Promise<string> {
      rooms += 1;
      const classroom = await createClassroom(aula);
      const linkName = `Room${rooms}x${Math.random().toString(36).slice(2, 10)}`;
      await aula.services.guests.configure(classroom._id, { enabled: true, linkName, password: PASSWORD });
      return linkName;
    },
    join(link: string, password: string, ip: string) {
      return request(aula.url)
        .post('/api/guest/join')
        .set('X-Forwarded-For', ip)
        .send({ link, password, displayName: 'Guest' });
    },
  };
}

describe('guest password attempts', () => {
  const guests = guestAula();
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a guest with the right password in after a few addresses hammered the room', async () => {
    const room = await guests.room();
    // The reported attack: thirty wrong passwords from three addresses.
    for (let host = 1; host <= 3; host++) {
      const statuses = [];
      for (let i = 0; i < 10; i++)
        statuses.push((await guests.join(room, `Wrong${i}Horse`, `192.0.2.${host}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    }
    expect((await guests.join(room, PASSWORD, '198.51.100.20')).status).toBe(200);
  });

  it('lets a guest with the right password in while strangers fail on the room from many networks', async () => {
    const room = await guests.room();
    // Forty networks, one wrong password each: beyond the room's budget of thirty.
    for (let net = 1; net <= 40; net++) {
      expect((await guests.join(room, 'Wrong1Horse', `10.${net}.7.1`)).status).toBe(401);
    }
    expect((await guests.join(room, PASSWORD, '198.51.100.21')).status).toBe(200);
    const stranger = await guests.join(room, 'Wrong1Horse', '203.0.113.20');
    expect(stranger.status).toBe(401);
    const unknownRoom = await guests.join('NoSuchRoom77', 'Wrong1Horse', '203.0.113.21');
    expect(unknownRoom.status).toBe(401);
    expect(unknownRoom.body).toEqual(stranger.body);
  });

  it('answers a guessed room name exactly like a real one, before and after the address has to wait', async () => {
    // One clock for both rooms: on a busy machine a second passed between them and the wait read 59 s.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const room = await guests.room();
    const answers = async (name: string, ip: string) => {
      const seen = [];
      for (let i = 0; i < 7; i++) {
        const answer = await guests.join(name, `Wrong${i}Horse`, ip);
        seen.push({ status: answer.status, body: answer.body, retryAfter: answer.headers['retry-after'] });
      }
      return seen;
    };
    expect(await answers('NoSuchRoom8x', '192.0.2.201')).toEqual(await answers(room, '192.0.2.200'));
  });

  it('makes an address wait after five wrong passwords, twice as long after each further one', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const room = await guests.room();
    const attacker = '192.0.2.99';
    for (let i = 0; i < 5; i++) expect((await guests.join(room, 'Guess1234', attacker)).status).toBe(401);

    let waited = 0;
    for (const expectedWait of [60, 120, 240]) {
      const refused = await guests.join(room, 'Guess1234', attacker);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBe(expectedWait);
      // While it waits, the address is refused even with the right password; others are not.
      expect((await guests.join(room, PASSWORD, attacker)).status).toBe(429);
      expect((await guests.join(room, PASSWORD, `198.51.100.${expectedWait / 60}`)).status).toBe(200);
      waited += expectedWait;
      vi.setSystemTime(Date.now() + expectedWait * 1000);
      expect((await guests.join(room, 'Guess1234', attacker)).status).toBe(401);
    }
    expect(waited).toBe(420);
  });

  it('keeps a burst of parallel guesses from one address within its free failures', async () => {
    const room = await guests.room();
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => guests.join(room, `Burst${i}Guess`, '192.0.2.150')),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true);
  });

  it('counts the addresses of one IPv6 /64 network as one address', async () => {
    const room = await guests.room();
    for (let i = 1; i <= 5; i++) {
      expect((await guests.join(room, 'Guess1234', `2001:db8:aa:1::${i.toString(16)}`)).status).toBe(401);
    }
    expect((await guests.join(room, 'Guess1234', '2001:db8:aa:1:ffff::1')).status).toBe(429);
    expect((await guests.join(room, PASSWORD, '2001:db8:aa:2::1')).status).toBe(200);
  });
});

describe('guest password attempts on an attacked room', () => {
  const guests = guestAula({ roomFailureBudget: 4, roomTurnMs: 60_000, roomMaxQueueMs: 0 });

  it('paces repeated guesses from networks that failed there, and checks a new network at once', async () => {
    const room = await guests.room();
    for (let host = 1; host <= 4; host++) {
      expect((await guests.join(room, 'Guess1234', `10.20.1.${host}`)).status).toBe(401);
    }
    // The room is over its budget: the attacking network's next guess takes the one turn…
    expect((await guests.join(room, 'Guess1234', '10.20.1.5')).status).toBe(401);
    // …and the one after it is told to come back for the next turn.
    const paced = await guests.join(room, 'Guess1234', '10.20.1.6');
    expect(paced.status).toBe(429);
    expect(Number(paced.headers['retry-after'])).toBeGreaterThan(50);
    // A guest from another network is checked at once: the room is not closed.
    expect((await guests.join(room, PASSWORD, '10.30.1.1')).status).toBe(200);
    // A new network gets one guess at once, then it takes turns too.
    expect((await guests.join(room, 'Guess1234', '10.40.1.1')).status).toBe(401);
    expect((await guests.join(room, 'Guess1234', '10.40.1.2')).status).toBe(429);
  });
});

describe('guest password attempts queued for their turn', () => {
  const guests = guestAula({ roomFailureBudget: 2, roomTurnMs: 400, roomMaxQueueMs: 60_000 });

  it('slows a paced guess down instead of refusing it', async () => {
    const room = await guests.room();
    for (let host = 1; host <= 2; host++) {
      expect((await guests.join(room, 'Guess1234', `10.50.1.${host}`)).status).toBe(401);
    }
    // The first paced guess takes the room's turn while it runs…
    const started = performance.now();
    expect((await guests.join(room, 'Guess1234', '10.50.1.3')).status).toBe(401);
    const second = await guests.join(room, PASSWORD, '10.50.1.4');
    expect(second.status).toBe(200);
    // …and the next one waited for the turn after it (a lower bound only: a busy machine is slower).
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });
});

describe('guest password attempts when wrong passwords flood Aula', () => {
  const guests = guestAula({
    roomFailureBudget: 2,
    globalFailureBudget: 6,
    roomTurnMs: 60_000,
    roomMaxQueueMs: 0,
  });

  it('paces even new networks on an attacked room and leaves other rooms alone', async () => {
    const target = await guests.room();
    const other = await guests.room();
    // Six networks, one guess each: the room is over its budget and Aula over its global one.
    for (let net = 1; net <= 6; net++) {
      expect((await guests.join(target, 'Guess1234', `10.${net}.0.1`)).status).toBe(401);
    }
    // New networks now share the attacked room's turns, whatever their number.
    expect((await guests.join(target, 'Guess1234', '10.7.0.1')).status).toBe(401);
    expect((await guests.join(target, 'Guess1234', '10.8.0.1')).status).toBe(429);
    expect((await guests.join(target, 'Guess1234', '10.9.0.1')).status).toBe(429);
    // A room nobody attacks is not paced.
    expect((await guests.join(other, PASSWORD, '10.10.0.1')).status).toBe(200);
  });
});
