import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_REQUEST_BYTES, requestSchemas } from '../../src/protocol/index.js';
import { ClassroomClient, expectFailure } from '../support/classroomClient.js';
import { connectAs, createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

let aula: TestAula;

beforeAll(async () => {
  aula = await startTestAula();
});

afterAll(async () => {
  await aula?.stop();
});

function refusal(token: unknown): Promise<{ message: string; data?: { code?: string } }> {
  return ClassroomClient.connect(aula.url, token as string).then(
    (client) => {
      client.close();
      throw new Error('the connection was accepted');
    },
    (error: Error & { data?: { code?: string } }) => ({ message: error.message, data: error.data }),
  );
}

async function liveLesson() {
  const classroom = await createClassroom(aula, { lobbyEnabled: false });
  const teacher = await connectAs(aula, classroom._id, { id: 't1', role: 'teacher' });
  await teacher.request('join');
  await teacher.request('lesson:start');
  await teacher.next('lesson:started');
  return { classroom, teacher };
}

describe('signalling connections', () => {
  it('refuses a connection without a token, with a forged one and with an expired one', async () => {
    const classroom = await createClassroom(aula);
    expect((await refusal(undefined)).data?.code).toBe('TOKEN_MISSING');
    expect((await refusal('not-a-jwt')).data?.code).toBe('TOKEN_INVALID');
    const valid = await tokenFor(aula, classroom._id, { id: 's1', role: 'student' });
    const [header, payload] = valid.split('.');
    expect((await refusal(`${header}.${payload}.forged-signature`)).data?.code).toBe('TOKEN_INVALID');

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 24 * 3600_000);
    const stale = await tokenFor(aula, classroom._id, { id: 's1', role: 'student' });
    vi.useRealTimers();
    const expired = await refusal(stale);
    expect(expired.data?.code).toBe('TOKEN_EXPIRED');
    expect(expired.message).toMatch(/expired/);
  });

  it('answers requests out of order with typed errors', async () => {
    const { classroom } = await liveLesson();
    const student = await connectAs(aula, classroom._id, { id: 's1', role: 'student' });
    // Before joining: no media of any kind.
    expect((await expectFailure(student.request('createTransport', { direction: 'recv' }))).code).toBe(
      'NOT_JOINED',
    );
    expect((await expectFailure(student.request('resumeConsumer', { consumerId: 'c1' }))).code).toBe(
      'NOT_JOINED',
    );
    expect((await expectFailure(student.request('chat:send', { text: 'hi' }))).code).toBe('NOT_JOINED');

    await student.request('join');
    const validDtls = {
      role: 'client' as const,
      fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }],
    };
    const validRtp = {
      codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
    };
    for (const [name, payload, code] of [
      ['connectTransport', { transportId: 'nope', dtlsParameters: validDtls }, 'UNKNOWN_TRANSPORT'],
      [
        'produce',
        { transportId: 'nope', kind: 'audio', rtpParameters: validRtp, source: 'mic' },
        'UNKNOWN_TRANSPORT',
      ],
      ['resumeConsumer', { consumerId: 'nope' }, 'UNKNOWN_CONSUMER'],
      ['pauseProducer', { producerId: 'nope' }, 'UNKNOWN_PRODUCER'],
      ['closeProducer', { producerId: 'nope' }, 'UNKNOWN_PRODUCER'],
      ['restartIce', { transportId: 'nope' }, 'UNKNOWN_TRANSPORT'],
      ['mod:remove', { participantId: 'nope' }, 'PERMISSION_DENIED'],
      ['lobby:admit', { participantId: 'nope' }, 'PERMISSION_DENIED'],
    ] as const) {
      const error = await expectFailure(student.request(name, payload as never));
      expect({ name, code: error.code }).toEqual({ name, code });
    }
    // DTLS parameters mediasoup rejects are the client's fault, not the server's.
    const transport = await student.request('createTransport', { direction: 'send' });
    const dtls = await expectFailure(
      student.request('connectTransport', {
        transportId: transport.id,
        dtlsParameters: { role: 'client', fingerprints: 'not-a-list' as never },
      }),
    );
    expect(dtls.status).toBe(400);
    const rtp = await expectFailure(
      student.request('produce', {
        transportId: transport.id,
        kind: 'video',
        rtpParameters: { codecs: [{ mimeType: 'video/NOPE' }] } as never,
        source: 'camera',
      }),
    );
    expect(rtp.status).toBe(400);
    student.close();
  });

  it('survives fuzzed messages: wrong types, huge payloads, unknown names, missing acknowledgements', async () => {
    const { classroom, teacher } = await liveLesson();
    const fuzzer = await connectAs(aula, classroom._id, { id: 's1', role: 'student' });
    await fuzzer.request('join');
    const oddValues: unknown[] = [
      null,
      42,
      'text',
      true,
      [],
      [1, 2, 3],
      { transportId: 7 },
      { direction: 'sideways' },
      { text: { nested: true } },
      { participantId: null, extra: 'key' },
      { __proto__: { polluted: true } },
      { constructor: { prototype: { polluted: true } } },
      JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)),
    ];
    const statuses = new Set<number>();
    for (const name of Object.keys(requestSchemas)) {
      if (name === 'leave' || name === 'join') continue;
      for (const value of oddValues) {
        const ack = (await fuzzer.raw(name, value)) as { ok: boolean; error?: { status: number } };
        if (!ack.ok) statuses.add(ack.error!.status);
        // Pace below the per-socket rate limit so every message reaches validation.
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    }
    expect([...statuses].every((status) => status >= 400 && status < 500)).toBe(true);
    expect(statuses.has(400)).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const huge = await fuzzer.raw('chat:send', { text: 'x'.repeat(MAX_REQUEST_BYTES + 1) });
    expect(huge).toMatchObject({ ok: false, error: { status: 413 } });
    expect(await fuzzer.raw('no:such:request', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_REQUEST' },
    });
    // Without an acknowledgement callback there is nobody to answer: ignored, nothing breaks.
    fuzzer.socket.emit('mod:muteAll', {});
    fuzzer.socket.emit('chat:send');

    // The same socket, its room and everyone else still work.
    const message = await fuzzer.request('chat:send', { text: 'still here' });
    expect(message.message.text).toBe('still here');
    expect((await teacher.next('chat:message', (m) => m.text === 'still here')).from.id).toBeTruthy();
    const health = await fetch(`${aula.url}/healthz`);
    expect(health.status).toBe(200);
    fuzzer.close();
    teacher.close();
  });

  it('lets a late joiner resume a full class worth of consumers at once', async () => {
    const { classroom, teacher } = await liveLesson();
    const student = await connectAs(aula, classroom._id, { id: 's2', role: 'student' });
    await student.request('join');
    // 49 microphones, 12 tiles and a screen share arrive together when joining a full class.
    const acks = (await Promise.all(
      Array.from({ length: 70 }, () => student.raw('hand:lower', {})),
    )) as Array<{ ok: boolean }>;
    expect(acks.filter((ack) => !ack.ok)).toEqual([]);
    student.close();
    teacher.close();
  });

  it('rate-limits a flooding socket with a retry hint, and only that socket', async () => {
    const { classroom, teacher } = await liveLesson();
    const flooder = await connectAs(aula, classroom._id, { id: 's1', role: 'student' });
    const acks = (await Promise.all(
      Array.from({ length: 400 }, () => flooder.raw('hand:lower', {})),
    )) as Array<{ ok: boolean; error?: { code: string; details?: { retryAfterSeconds?: number } } }>;
    const limited = acks.filter((ack) => ack.error?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.error!.details?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await teacher.request('hand:lower', {})).queue).toEqual([]);
    flooder.close();
    teacher.close();
  });
});
