import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter, type RemoteTrack, type RoomConnectionEvents } from '@/media/mediaEvents';
import { Subscriber, type ReceiveTransport } from '@/media/Subscriber';
import { connectedClient, participant } from '../support/classroomPage';
import { FakeReceiveTransport, offer, settle } from '../support/fakeMediasoup';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

/** The engine as the subscriber sees it: a generation and its receive transport. */
class FakeEngine {
  current = 1;
  receiving: Promise<ReceiveTransport> | undefined;
  constructor(readonly transport = new FakeReceiveTransport()) {
    this.receiving = Promise.resolve(transport);
  }
  receiver() {
    return this.receiving;
  }
}

function subscriber(engine = new FakeEngine()) {
  const events = new Emitter<RoomConnectionEvents>();
  const added: RemoteTrack[] = [];
  const removed: string[] = [];
  const failures: Array<{ participantId: string; source: string }> = [];
  events.on('trackAdded', (track) => added.push(track));
  events.on('trackRemoved', (consumerId) => removed.push(consumerId));
  events.on('receiveFailed', ({ participantId, source }) => failures.push({ participantId, source }));
  const signaling = connectedClient();
  return { engine, events, layer: new Subscriber(signaling, engine, events), added, removed, failures };
}

const spyOnWarnings = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined);
let warn: ReturnType<typeof spyOnWarnings>;
beforeEach(() => {
  server.reset();
  server.replies.set('resumeConsumer', { ok: true });
  warn = spyOnWarnings();
});
afterEach(() => vi.restoreAllMocks());

const warnings = () => warn.mock.calls.map((call) => String(call[0]));

describe('the subscriber', () => {
  it('receives an offered consumer, hands its track to the page, then asks the server to resume it', async () => {
    const { engine, events, added } = subscriber();
    let resumedBeforeTheTrack: number | undefined;
    events.on('trackAdded', () => (resumedBeforeTheTrack = server.sent('resumeConsumer').length));
    server.emit('newConsumer', offer('c1', { participantId: 'anna', source: 'mic' }));
    await settle();
    expect(
      added.map(({ consumerId, participantId, source }) => ({ consumerId, participantId, source })),
    ).toEqual([{ consumerId: 'c1', participantId: 'anna', source: 'mic' }]);
    expect(engine.transport.consumers.map((consumer) => consumer.id)).toEqual(['c1']);
    expect(resumedBeforeTheTrack).toBe(0);
    expect(server.sent('resumeConsumer')).toEqual([{ consumerId: 'c1' }]);
  });

  it('says so on the console, with the ids, and reports it when the server does not resume a consumer', async () => {
    const { failures } = subscriber();
    server.refusals.set('resumeConsumer', { status: 404, code: 'NOT_FOUND', message: 'no such consumer' });
    server.emit('newConsumer', offer('c1', { producerId: 'p1', participantId: 'ben', source: 'mic' }));
    await settle();
    expect(failures).toEqual([{ participantId: 'ben', source: 'mic' }]);
    expect(warnings()).toEqual([
      'resumeConsumer() | the server did not resume a consumer [consumerId:c1] [producerId:p1] [participantId:ben] [source:mic]',
    ]);
  });

  it('says so and reports it when a consumer cannot be received', async () => {
    const engine = new FakeEngine();
    engine.transport.refusal = new Error('unsupported codec');
    const { added, failures } = subscriber(engine);
    server.emit('newConsumer', offer('c1', { producerId: 'p1', participantId: 'ben', source: 'camera' }));
    await settle();
    expect(added).toEqual([]);
    expect(failures).toEqual([{ participantId: 'ben', source: 'camera' }]);
    expect(warnings()[0]).toBe(
      'onNewConsumer() | could not receive a track [consumerId:c1] [producerId:p1] [participantId:ben] [source:camera]',
    );
    expect(warn.mock.calls[0]![1]).toBe(engine.transport.refusal);
    expect(server.sent('resumeConsumer')).toEqual([]);
  });

  it('ignores, without a failure, an offer for media that was rebuilt before it could be received', async () => {
    const engine = new FakeEngine();
    let open!: (transport: ReceiveTransport) => void;
    engine.receiving = new Promise((resolve) => (open = resolve));
    const { added, failures } = subscriber(engine);
    server.emit('newConsumer', offer('c1'));
    engine.current = 2;
    open(engine.transport);
    await settle();
    expect(engine.transport.consumers).toEqual([]);
    expect(added).toEqual([]);
    expect(failures).toEqual([]);
    expect(warnings()).toEqual([
      'onNewConsumer() | offer for a closed receive transport ignored [consumerId:c1] [producerId:producer-of-c1] [participantId:anna] [source:mic]',
    ]);
  });

  it('resumes again, without a second consumer, a consumer the server announces again after a reconnect', async () => {
    const { engine, added } = subscriber();
    server.emit('newConsumer', offer('c1'));
    await settle();
    server.emit('newConsumer', offer('c1'));
    await settle();
    expect(engine.transport.consumers).toHaveLength(1);
    expect(added).toHaveLength(1);
    expect(server.sent('resumeConsumer')).toEqual([{ consumerId: 'c1' }, { consumerId: 'c1' }]);
  });

  it('drops a consumer the server closed: it closes, and the page hears the track is gone', async () => {
    const { engine, layer, removed } = subscriber();
    server.emit('newConsumer', offer('c1'));
    server.emit('newConsumer', offer('c2'));
    await settle();
    server.emit('consumerClosed', { consumerId: 'c1' });
    expect(removed).toEqual(['c1']);
    expect(engine.transport.consumers[0]!.closed).toBe(true);
    expect(layer.remoteTracks().map((track) => track.consumerId)).toEqual(['c2']);
  });

  it('keeps, after a lost connection, only the consumers the server kept', async () => {
    const { layer, removed } = subscriber();
    for (const id of ['c1', 'c2', 'c3']) server.emit('newConsumer', offer(id));
    await settle();
    layer.keepOnly(['c2']);
    expect(removed).toEqual(['c1', 'c3']);
    expect(layer.remoteTracks().map((track) => track.consumerId)).toEqual(['c2']);
  });

  it('drops the consumers of a transport that closed', async () => {
    const { engine, layer, removed } = subscriber();
    server.emit('newConsumer', offer('c1'));
    await settle();
    engine.transport.close();
    expect(removed).toEqual(['c1']);
    expect(layer.remoteTracks()).toEqual([]);
  });

  it('shows a sender muting and unmuting on the track the page has', async () => {
    const { added } = subscriber();
    server.emit('newConsumer', offer('c1', { participantId: 'anna', source: 'mic' }));
    await settle();
    const anna = participant('anna', 'Anna');
    server.emit('participantUpdated', { ...anna, sources: { mic: { producerId: 'p', paused: true } } });
    server.emit('participantUpdated', { ...anna, sources: { mic: { producerId: 'p', paused: true } } });
    server.emit('participantUpdated', { ...anna, sources: { mic: { producerId: 'p', paused: false } } });
    expect(added.map((track) => track.producerPaused)).toEqual([false, true, false]);
  });

  it('follows no offer once closed', async () => {
    const { engine, layer } = subscriber();
    layer.close();
    server.emit('newConsumer', offer('c1'));
    await settle();
    expect(engine.transport.consumers).toEqual([]);
  });
});
