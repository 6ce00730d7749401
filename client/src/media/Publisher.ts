import type { types } from 'mediasoup-client';
import type { MediaSourceName, ParticipantInfo } from '@protocol';
import type { SignalingClient } from '../signaling/SignalingClient';
import { logWarning } from '../shared/log';
import type { CurrentEncryption } from '../e2ee/frameEncryption';
import { CameraLayers, type LayeredProducer } from './CameraLayers';
import { SCREEN_ENCODINGS } from './encodings';
import type { LocalSource, MediaEvents } from './mediaEvents';
import { outboundStatsOf, type OutboundStats } from './mediaStats';

/** What the publisher needs of a producer; a mediasoup-client Producer has it. */
export interface SentProducer extends LayeredProducer {
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  close(): void;
  replaceTrack(options: { track: MediaStreamTrack }): Promise<void>;
  getStats(): Promise<RTCStatsReport>;
  on(event: 'transportclose' | 'trackended', listener: () => void): unknown;
}

/** What it needs of the send transport, and of the engine that opens it. */
export interface SendTransport {
  produce(options: types.ProducerOptions): Promise<SentProducer>;
}
export interface Sending {
  sender(): Promise<SendTransport>;
  /** The device's codec of that MIME type, to send in it. */
  codecFor(mimeType: string): types.RtpCodecCapability | undefined;
}

const AUDIO_CODEC_OPTIONS = { opusStereo: false, opusDtx: true, opusFec: true } as const;

/**
 * What we send: one producer per source (microphone, camera, screen), muting
 * and unmuting them with the server's consent, and following what the server
 * does to them (a teacher's mute, a permission taken away, a reconnect that
 * kept them or not). A rebuild takes the live tracks and sends them again.
 */
export class Publisher {
  private readonly producers = new Map<MediaSourceName, SentProducer>();
  private readonly layers = new CameraLayers();
  /**
   * What a rebuild has still to send again. A newer rebuild (moved into a breakout room while the
   * last reconnect was still sending) takes these over instead of losing them with its teardown.
   */
  private unsent: LocalSource[] = [];
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly signaling: Pick<SignalingClient, 'on' | 'request'>,
    private readonly transports: Sending,
    private readonly events: MediaEvents,
    private readonly encryption: CurrentEncryption = () => undefined,
  ) {
    this.unsubscribe = [
      signaling.on('producerClosed', ({ producerId, source, reason }) => {
        if (this.producers.get(source)?.id !== producerId) return;
        this.stopLocal(source);
        this.events.emit('localSourceStopped', source, reason);
      }),
      signaling.on('consumedLayers', ({ producerId, spatialLayers }) => {
        this.layers.setConsumed(producerId, spatialLayers);
        const entry = [...this.producers].find(([, producer]) => producer.id === producerId);
        if (entry) this.layers.apply(entry[0], entry[1]);
      }),
      signaling.on('mod:muted', ({ source }) => {
        this.producers.get(source)?.pause();
        this.events.emit('localSourceMuted', source);
      }),
    ];
  }

  /** Sends a local track as a source; replaces the track if the source is already live. */
  async send(source: MediaSourceName, track: MediaStreamTrack): Promise<void> {
    const existing = this.producers.get(source);
    if (existing && !existing.closed) {
      await existing.replaceTrack({ track });
      // A new camera track captures what the device gives: bring it back to what is consumed.
      this.layers.apply(source, existing);
      return;
    }
    const transport = await this.transports.sender();
    const cipher = this.encryption();
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const producer = await transport.produce({
      track,
      stopTracks: false,
      // Paused sources send nothing at all, not even silence.
      zeroRtpOnPause: true,
      disableTrackOnPause: true,
      appData: cipher ? { source, encrypted: true } : { source },
      ...this.optionsFor(source, track),
      // Encrypted: every frame is sealed before it leaves, in the codec whose header the format keeps clear.
      ...(cipher
        ? {
            codec: this.transports.codecFor(kind === 'audio' ? 'audio/opus' : 'video/VP8'),
            onRtpSender: (sender: RTCRtpSender) => cipher.encryptWith(sender, kind),
          }
        : {}),
    });
    this.producers.set(source, producer);
    this.layers.apply(source, producer);
    producer.on('transportclose', () => this.forget(source, producer));
    producer.on('trackended', () => {
      // The browser's own "stop sharing" button, or a device unplugged.
      this.unpublish(source).catch((error: unknown) =>
        logWarning('unpublish', 'the server did not close an ended source', { source }, error),
      );
      this.events.emit('localSourceStopped', source, 'ended');
    });
  }

  async unpublish(source: MediaSourceName): Promise<void> {
    this.unsent = this.unsent.filter((pending) => pending.source !== source);
    const producer = this.stopLocal(source);
    if (producer) await this.signaling.request('closeProducer', { producerId: producer.id });
  }

  async setPaused(source: MediaSourceName, paused: boolean): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    if (paused) {
      producer.pause();
      await this.signaling.request('pauseProducer', { producerId: producer.id });
    } else {
      // The server may refuse (no permission): only unmute locally once it agreed.
      await this.signaling.request('resumeProducer', { producerId: producer.id });
      producer.resume();
    }
  }

  isPublishing(source: MediaSourceName): boolean {
    const producer = this.producers.get(source);
    return Boolean(producer && !producer.closed);
  }

  /**
   * The server kept our media over a lost connection: stop what it stopped
   * meanwhile, mute what it muted.
   */
  reconcile(self: ParticipantInfo): void {
    for (const [source, producer] of [...this.producers]) {
      const onServer = self.sources[source];
      if (onServer?.producerId !== producer.id) {
        this.stopLocal(source);
        this.events.emit('localSourceStopped', source, 'server');
      } else if (onServer.paused && !producer.paused) {
        producer.pause();
        this.events.emit('localSourceMuted', source);
      }
    }
  }

  /**
   * A rebuild begins: what is live (and what an earlier rebuild had still to
   * send) is kept to be sent again; the producers go with their transport.
   */
  takeLive(): LocalSource[] {
    const live: LocalSource[] = [...this.producers.entries()]
      .filter(([, producer]) => producer.track)
      .map(([source, producer]) => ({ source, track: producer.track!, paused: producer.paused }));
    live.push(...this.unsent.filter((pending) => !this.producers.has(pending.source)));
    this.unsent = live;
    this.producers.clear();
    return live;
  }

  /** Sends again what a rebuild took, muted state included, while `current()` says the rebuild is current. */
  async resend(sources: LocalSource[], current: () => boolean): Promise<void> {
    for (const item of sources) {
      if (!current()) return;
      this.unsent = this.unsent.filter((pending) => pending !== item);
      if (item.track.readyState === 'ended') continue;
      await this.send(item.source, item.track);
      if (item.paused) await this.setPaused(item.source, true);
    }
  }

  async outboundStats(): Promise<OutboundStats[]> {
    const results: OutboundStats[] = [];
    for (const [source, producer] of this.producers) results.push(await outboundStatsOf(source, producer));
    return results;
  }

  /** Stops following the server; our tracks stay with their owner (the device composable stops them). */
  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private optionsFor(source: MediaSourceName, track: MediaStreamTrack) {
    switch (source) {
      case 'camera':
        return { encodings: this.layers.encodingsFor(track), codecOptions: { videoGoogleStartBitrate: 300 } };
      case 'screen':
        track.contentHint = 'detail';
        return { encodings: SCREEN_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } };
      default:
        return { codecOptions: AUDIO_CODEC_OPTIONS };
    }
  }

  private stopLocal(source: MediaSourceName): SentProducer | undefined {
    const producer = this.producers.get(source);
    if (!producer) return undefined;
    producer.close();
    this.forget(source, producer);
    return producer;
  }

  /** The owner cleans up: a producer leaves the map (and the dynacast) only as itself. */
  private forget(source: MediaSourceName, producer: SentProducer): void {
    if (this.producers.get(source) === producer) this.producers.delete(source);
    this.layers.forget(producer.id);
  }
}
