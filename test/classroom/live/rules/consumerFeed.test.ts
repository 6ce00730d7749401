import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { describe, expect, it, vi } from 'vitest';
import { randomId } from '../../../../src/shared/ids.js';
import { settle } from '../../../support/fakeClassroom.js';
import { fakeLesson } from '../../../support/fakeLesson.js';

// Who receives whom, against the media plane's answers: the consumers are
// fakes, the triggers (a page's receive transport, a new producer) are the
// classroom's own.

/** A producer as the feed reads it: an id, open, a close observer. */
function fakeProducer(kind: types.MediaKind): types.Producer {
  return { id: randomId(8), kind, closed: false, observer: new EventEmitter() } as unknown as types.Producer;
}

/** A consumer of a producer, as mediasoup would answer one. */
function fakeConsumer(producerId: string, kind: types.MediaKind): types.Consumer {
  const consumer = Object.assign(new EventEmitter(), {
    id: randomId(8),
    producerId,
    kind,
    closed: false,
    producerPaused: false,
    rtpParameters: { codecs: [], encodings: [] },
    observer: new EventEmitter(),
  });
  return consumer as unknown as types.Consumer;
}

describe('who receives whom in a group (rules)', () => {
  it('creates a consumer once more when a page asks again while a first attempt on its old receive transport came to nothing', async () => {
    const { classroom, records, tabs } = await fakeLesson(['anna', 'clara']);
    const group = classroom.groups.main;
    const [anna, clara] = [tabs.anna!, tabs.clara!];
    const plane = records.media[0]!;
    const mic = fakeProducer('audio');
    group.media.find(clara.participant)!.addProducer('mic', mic);
    group.media.find(anna.participant)!.rtpCapabilities = { codecs: [], headerExtensions: [] };

    // The first attempt runs on a receive transport the page replaces meanwhile: it answers nothing.
    let answerFirst!: (consumer: types.Consumer | undefined) => void;
    const consume = vi
      .spyOn(plane, 'consume')
      .mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)))
      .mockImplementation(async (viewer, producerId, meta) => {
        const consumer = fakeConsumer(producerId, 'audio');
        viewer.addConsumer({ consumer, ownerId: meta.ownerId, source: meta.source, clientReady: false });
        return consumer;
      });
    const first = group.feed.ensure(anna.participant);
    // The page's new receive transport is ready while the first attempt still waits.
    group.media.emit('receiverReady', anna.participant);
    answerFirst(undefined);
    await first;
    await settle();

    expect(consume).toHaveBeenCalledTimes(2);
    expect(anna.channel.all('newConsumer')).toEqual([
      expect.objectContaining({ producerId: mic.id, participantId: clara.participant.id, source: 'mic' }),
    ]);
  });

  it('never consumes one producer twice when several triggers come at once', async () => {
    const { classroom, records, tabs } = await fakeLesson(['anna', 'clara']);
    const group = classroom.groups.main;
    const [anna, clara] = [tabs.anna!, tabs.clara!];
    const plane = records.media[0]!;
    group.media.find(anna.participant)!.rtpCapabilities = { codecs: [], headerExtensions: [] };
    const consume = vi.spyOn(plane, 'consume').mockImplementation(async (viewer, producerId, meta) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const consumer = fakeConsumer(producerId, 'audio');
      viewer.addConsumer({ consumer, ownerId: meta.ownerId, source: meta.source, clientReady: false });
      return consumer;
    });
    const mic = fakeProducer('audio');
    group.media.find(clara.participant)!.addProducer('mic', mic);
    group.media.emit('producerAdded', clara.participant);
    group.media.emit('receiverReady', anna.participant);
    group.media.emit('receiverReady', anna.participant);
    await vi.waitFor(() => expect(anna.channel.all('newConsumer')).toHaveLength(1));
    // Whatever was asked meanwhile has run by now.
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(consume).toHaveBeenCalledTimes(1);
    expect(anna.channel.all('newConsumer')).toHaveLength(1);
  });
});
