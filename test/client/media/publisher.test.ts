import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaSourceName } from '@protocol';
import { Emitter, type RoomConnectionEvents } from '@/media/mediaEvents';
import { Publisher } from '@/media/Publisher';
import { connectedClient, participant } from '../support/classroomPage';
import { FakeSendTransport, fakeTrack, settle } from '../support/fakeMediasoup';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

function publisher() {
  const events = new Emitter<RoomConnectionEvents>();
  const stopped: Array<[MediaSourceName, string]> = [];
  const muted: MediaSourceName[] = [];
  events.on('localSourceStopped', (source, reason) => stopped.push([source, reason]));
  events.on('localSourceMuted', (source) => muted.push(source));
  const engine = {
    transport: new FakeSendTransport(),
    sender: () => Promise.resolve(engine.transport),
    codecFor: () => undefined,
  };
  const signaling = connectedClient();
  const layer = new Publisher(signaling, engine, events);
  const produced = (index: number) => engine.transport.produced[index]!;
  return { engine, layer, stopped, muted, produced };
}

beforeEach(() => {
  server.reset();
  for (const name of ['closeProducer', 'pauseProducer', 'resumeProducer'])
    server.replies.set(name, { ok: true });
});
afterEach(() => vi.restoreAllMocks());

describe('the publisher', () => {
  it('sends a camera as simulcast layers and a microphone as Opus with DTX and FEC, tagged with their source', async () => {
    const { layer, produced } = publisher();
    await layer.send('camera', fakeTrack('video', 720));
    await layer.send('mic', fakeTrack('audio'));
    expect(produced(0).options.encodings).toHaveLength(3);
    expect(produced(0).options.appData).toEqual({ source: 'camera' });
    expect(produced(1).options.codecOptions).toEqual({ opusStereo: false, opusDtx: true, opusFec: true });
    expect(produced(1).options.appData).toEqual({ source: 'mic' });
    // Paused sources send nothing at all, and the tracks stay with the page.
    expect(produced(1).options).toMatchObject({
      zeroRtpOnPause: true,
      disableTrackOnPause: true,
      stopTracks: false,
    });
    expect(layer.isPublishing('mic')).toBe(true);
  });

  it('swaps the track of a source already live instead of sending it twice', async () => {
    const { engine, layer, produced } = publisher();
    await layer.send('mic', fakeTrack('audio'));
    const other = fakeTrack('audio');
    await layer.send('mic', other);
    expect(engine.transport.produced).toHaveLength(1);
    expect(produced(0).producer.track).toBe(other);
  });

  it('mutes at once, but unmutes only once the server agreed', async () => {
    const { layer, produced } = publisher();
    await layer.send('mic', fakeTrack('audio'));
    const producer = produced(0).producer;
    await layer.setPaused('mic', true);
    expect(producer.paused).toBe(true);
    expect(server.sent('pauseProducer')).toEqual([{ producerId: producer.id }]);
    server.refusals.set('resumeProducer', { status: 403, code: 'PERMISSION_DENIED', message: 'no' });
    await expect(layer.setPaused('mic', false)).rejects.toThrow('no');
    expect(producer.paused).toBe(true);
  });

  it('stops a source the server closed and tells the page why; word about another producer changes nothing', async () => {
    const { layer, stopped, produced } = publisher();
    await layer.send('screen', fakeTrack('video', 1080));
    server.emit('producerClosed', { producerId: 'someone-else', source: 'screen', reason: 'moderator' });
    expect(layer.isPublishing('screen')).toBe(true);
    server.emit('producerClosed', {
      producerId: produced(0).producer.id,
      source: 'screen',
      reason: 'moderator',
    });
    expect(produced(0).producer.closed).toBe(true);
    expect(layer.isPublishing('screen')).toBe(false);
    expect(stopped).toEqual([['screen', 'moderator']]);
  });

  it('pauses the microphone a teacher muted, and says so', async () => {
    const { layer, muted, produced } = publisher();
    await layer.send('mic', fakeTrack('audio'));
    server.emit('mod:muted', { source: 'mic' });
    expect(produced(0).producer.paused).toBe(true);
    expect(muted).toEqual(['mic']);
  });

  it('follows what the server says is consumed of our camera', async () => {
    const { layer, produced } = publisher();
    await layer.send('camera', fakeTrack('video', 720));
    server.emit('consumedLayers', { producerId: produced(0).producer.id, spatialLayers: 1 });
    await settle();
    expect(produced(0).producer.setMaxSpatialLayer).toHaveBeenCalledWith(0);
    expect(produced(0).producer.track!.getSettings().height).toBe(240);
  });

  it('unpublishes a source the browser ended (its own "stop sharing")', async () => {
    const { layer, stopped, produced } = publisher();
    await layer.send('screen', fakeTrack('video', 1080));
    produced(0).producer.fire('trackended');
    await settle();
    expect(server.sent('closeProducer')).toEqual([{ producerId: produced(0).producer.id }]);
    expect(stopped).toEqual([['screen', 'ended']]);
  });

  it('sends again after a rebuild what was live, muted state included, but no track that ended', async () => {
    const { engine, layer } = publisher();
    const mic = fakeTrack('audio');
    const camera = fakeTrack('video', 720);
    const screen = fakeTrack('video', 1080);
    await layer.send('mic', mic);
    await layer.send('camera', camera);
    await layer.send('screen', screen);
    await layer.setPaused('mic', true);
    const live = layer.takeLive();
    expect(layer.isPublishing('mic')).toBe(false);
    screen.readyState = 'ended';
    const before = engine.transport.produced.length;
    await layer.resend(live, () => true);
    const again = engine.transport.produced.slice(before);
    expect(again.map(({ options }) => options.track)).toEqual([mic, camera]);
    expect(again[0]!.producer.paused).toBe(true);
    expect(server.sent('pauseProducer')).toHaveLength(2);
  });

  it('hands what an overtaken rebuild had still to send to the next one', async () => {
    const { engine, layer } = publisher();
    const mic = fakeTrack('audio');
    const camera = fakeTrack('video', 720);
    await layer.send('mic', mic);
    await layer.send('camera', camera);
    const first = layer.takeLive();
    // Overtaken after nothing was sent: the next rebuild finds both still unsent.
    await layer.resend(first, () => false);
    const second = layer.takeLive();
    expect(second.map(({ track }) => track)).toEqual([mic, camera]);
    const before = engine.transport.produced.length;
    await layer.resend(second, () => true);
    expect(engine.transport.produced.slice(before).map(({ options }) => options.track)).toEqual([
      mic,
      camera,
    ]);
  });

  it('after a reconnect that kept our media, stops what the server dropped and mutes what it muted', async () => {
    const { layer, stopped, muted, produced } = publisher();
    await layer.send('mic', fakeTrack('audio'));
    await layer.send('camera', fakeTrack('video'));
    const [mic, camera] = [produced(0).producer, produced(1).producer];
    layer.reconcile(participant('me', 'Me', { sources: { mic: { producerId: mic.id, paused: true } } }));
    expect(mic.paused).toBe(true);
    expect(camera.closed).toBe(true);
    expect(muted).toEqual(['mic']);
    expect(stopped).toEqual([['camera', 'server']]);
    expect(layer.isPublishing('camera')).toBe(false);
  });
});
