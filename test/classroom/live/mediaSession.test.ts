import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { expectFailure } from '../../support/classroomClient.js';
import { joinedStudent, liveLesson } from '../../support/classroomFixtures.js';
import { type TestAula } from '../../support/testAula.js';

const fingerprint = { algorithm: 'sha-256', value: Array(32).fill('AB').join(':') };
const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };

describe('media session', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it('answers a repeated connectTransport with a typed conflict, not a server error', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna' });
    clients.push(anna.client);
    const transport = await anna.client.request('createTransport', { direction: 'send' });
    const dtlsParameters = { role: 'client' as const, fingerprints: [fingerprint] };
    await anna.client.request('connectTransport', { transportId: transport.id, dtlsParameters });
    const again = await expectFailure(
      anna.client.request('connectTransport', { transportId: transport.id, dtlsParameters }),
    );
    expect(again).toMatchObject({ status: 409, code: 'TRANSPORT_CONNECTED' });
  });

  it('refuses RTP parameters outside what RTP allows before they reach the worker', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'ben' });
    clients.push(anna.client);
    const transport = await anna.client.request('createTransport', { direction: 'send' });
    for (const rtpParameters of [
      { codecs: [{ ...opus, payloadType: 100_000 }], encodings: [{ ssrc: 1111 }] },
      { codecs: [opus], encodings: [{ ssrc: -5 }] },
      { codecs: [opus], encodings: [{ ssrc: 2 ** 32 }] },
      { codecs: [{ ...opus, mimeType: 'audio/<script>' }], encodings: [{ ssrc: 1111 }] },
      { codecs: [], encodings: [{ ssrc: 1111 }] },
    ]) {
      const refusal = await expectFailure(
        anna.client.request('produce', {
          transportId: transport.id,
          kind: 'audio',
          rtpParameters: rtpParameters as never,
          source: 'mic',
        }),
      );
      expect(refusal).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    }
    const room = (await aula.services.rooms.peek(classroom._id))!;
    const sent = room.ctx.roster.get(anna.id)!;
    expect(room.groups.of(sent)!.media.mediaOf(sent).producers()).toHaveLength(0);
  });

  it('checks RTP parameters against the room router before producing', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'caps' });
    clients.push(anna.client);
    const transport = await anna.client.request('createTransport', { direction: 'send' });
    const produce = (rtpParameters: object) =>
      anna.client.request('produce', {
        transportId: transport.id,
        kind: 'audio',
        rtpParameters: rtpParameters as never,
        source: 'mic',
      });
    for (const [why, rtpParameters] of [
      ['a codec the router lacks', { codecs: [{ mimeType: 'audio/PCMU', payloadType: 0, clockRate: 8000 }] }],
      ['a wrong clock rate', { codecs: [{ ...opus, clockRate: 16000 }], encodings: [{ ssrc: 11 }] }],
      [
        'a header extension the router does not know',
        {
          codecs: [opus],
          headerExtensions: [{ uri: 'urn:example:made-up', id: 9 }],
          encodings: [{ ssrc: 12 }],
        },
      ],
      ['two audio encodings', { codecs: [opus], encodings: [{ ssrc: 13 }, { ssrc: 14 }] }],
      [
        'a payload type used twice',
        { codecs: [opus, { ...opus, mimeType: 'audio/opus' }], encodings: [{ ssrc: 15 }] },
      ],
    ] as const) {
      const refusal = await expectFailure(produce(rtpParameters));
      expect({ why, status: refusal.status, message: refusal.message }).toMatchObject({
        why,
        status: 400,
        message: expect.stringMatching(/^Invalid RTP parameters/),
      });
    }
    const room = (await aula.services.rooms.peek(classroom._id))!;
    const sent = room.ctx.roster.get(anna.id)!;
    expect(room.groups.of(sent)!.media.mediaOf(sent).producers()).toHaveLength(0);
  });

  it('asks for the permission of the source a producer sends, also when it is resumed', async () => {
    const { classroom, teacher } = await liveLesson(aula, {
      lobbyEnabled: false,
      studentPermissions: { unmute: false },
    });
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'quiet' });
    clients.push(anna.client);
    const transport = await anna.client.request('createTransport', { direction: 'send' });
    const refusal = await expectFailure(
      anna.client.request('produce', {
        transportId: transport.id,
        kind: 'audio',
        rtpParameters: { codecs: [opus], encodings: [{ ssrc: 1234 }] },
        source: 'mic',
      }),
    );
    expect(refusal.code).toBe('PERMISSION_DENIED');
  });
});
