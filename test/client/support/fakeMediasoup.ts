import { vi } from 'vitest';
import type { types } from 'mediasoup-client';
import type { ServerEvents } from '@protocol';
import type { SentProducer, SendTransport } from '@/media/Publisher';
import type { ReceiveTransport, ReceivedConsumer } from '@/media/Subscriber';

// Stand-ins for mediasoup-client's transports, consumers and producers, built
// to the narrow interfaces the media layers declare: happy-dom has no WebRTC.
// The real ones run in the browser tests (test/browser, test/media).

/**
 * A track as the layers read it: its kind, whether it ended, and the height
 * it captures; a camera gives what is asked of it up to `maxHeight`.
 */
export function fakeTrack(kind: 'audio' | 'video', height = 720, { maxHeight = 1080 } = {}) {
  const settings = { height };
  const track = {
    kind,
    readyState: 'live' as MediaStreamTrackState,
    contentHint: '',
    getSettings: () => ({ ...settings }),
    applyConstraints: vi.fn(async (constraints: MediaTrackConstraints) => {
      const wanted = (constraints.height as ConstrainULongRange | undefined)?.ideal;
      if (wanted) settings.height = Math.min(wanted, maxHeight);
    }),
  };
  return track as typeof track & MediaStreamTrack;
}

type Listener = () => void;

class Listeners<E extends string> {
  private readonly byEvent = new Map<E, Listener[]>();
  on(event: E, listener: Listener): void {
    this.byEvent.set(event, [...(this.byEvent.get(event) ?? []), listener]);
  }
  fire(event: E): void {
    for (const listener of this.byEvent.get(event) ?? []) listener();
  }
}

export class FakeConsumer implements ReceivedConsumer {
  closed = false;
  paused = true;
  private readonly listeners = new Listeners<'transportclose'>();
  constructor(
    readonly id: string,
    readonly track: MediaStreamTrack,
  ) {}
  async getStats(): Promise<RTCStatsReport> {
    return new Map() as RTCStatsReport;
  }
  close(): void {
    this.closed = true;
  }
  on(event: 'transportclose', listener: Listener): void {
    this.listeners.on(event, listener);
  }
  transportClosed(): void {
    this.closed = true;
    this.listeners.fire('transportclose');
  }
}

export class FakeReceiveTransport implements ReceiveTransport {
  closed = false;
  readonly consumers: FakeConsumer[] = [];
  /** Set to make the next consume() fail, as a transport does on parameters it cannot take. */
  refusal: Error | undefined;
  async consume(options: types.ConsumerOptions): Promise<FakeConsumer> {
    if (this.refusal) throw this.refusal;
    const consumer = new FakeConsumer(options.id, fakeTrack(options.kind));
    this.consumers.push(consumer);
    return consumer;
  }
  close(): void {
    this.closed = true;
    for (const consumer of this.consumers) consumer.transportClosed();
  }
}

export class FakeProducer implements SentProducer {
  closed = false;
  paused = false;
  readonly setMaxSpatialLayer = vi.fn(async (_layer: number) => undefined);
  readonly parameters: RTCRtpSendParameters;
  readonly rtpSender: RTCRtpSender;
  private readonly listeners = new Listeners<'transportclose' | 'trackended'>();
  constructor(
    readonly id: string,
    readonly kind: 'audio' | 'video',
    public track: MediaStreamTrack | null,
    encodings: types.RtpEncodingParameters[] = [],
  ) {
    this.parameters = {
      transactionId: 't',
      codecs: [],
      headerExtensions: [],
      rtcp: {},
      encodings: encodings.map((encoding) => ({ ...encoding })),
    };
    const sender = {
      getParameters: () => this.parameters,
      setParameters: vi.fn(async (next: RTCRtpSendParameters) => void Object.assign(this.parameters, next)),
    };
    this.rtpSender = sender as typeof sender & RTCRtpSender;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  close(): void {
    this.closed = true;
  }
  async replaceTrack({ track }: { track: MediaStreamTrack }): Promise<void> {
    this.track = track;
  }
  async getStats(): Promise<RTCStatsReport> {
    return new Map() as RTCStatsReport;
  }
  on(event: 'transportclose' | 'trackended', listener: Listener): void {
    this.listeners.on(event, listener);
  }
  fire(event: 'transportclose' | 'trackended'): void {
    this.listeners.fire(event);
  }
}

export class FakeSendTransport implements SendTransport {
  readonly produced: Array<{ producer: FakeProducer; options: types.ProducerOptions }> = [];
  async produce(options: types.ProducerOptions): Promise<FakeProducer> {
    const track = options.track!;
    const producer = new FakeProducer(
      `p-${this.produced.length + 1}`,
      track.kind as 'audio' | 'video',
      track,
      options.encodings,
    );
    this.produced.push({ producer, options });
    return producer;
  }
}

/** What the server says when it offers us a consumer. */
export function offer(
  consumerId: string,
  extra: Partial<ServerEvents['newConsumer']> = {},
): ServerEvents['newConsumer'] {
  return {
    consumerId,
    producerId: `producer-of-${consumerId}`,
    participantId: 'anna',
    kind: 'audio',
    source: 'mic',
    rtpParameters: { codecs: [] },
    producerPaused: false,
    ...extra,
  };
}

/** Lets the layers' promise chains run to their next real wait. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
