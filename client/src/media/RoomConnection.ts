import { Device, type types } from 'mediasoup-client';
import type {
  MediaSetup,
  MediaSourceName,
  ParticipantInfo,
  RtpCapabilities,
  RtpParameters,
  ServerEvents,
  TransportInfo,
} from '@protocol';
import { RequestError, type SignalingClient } from '../signaling/SignalingClient';
import {
  CAMERA_CONSTRAINTS,
  SCREEN_ENCODINGS,
  cameraEncodings,
  cameraLayers,
  captureHeightFor,
  type CameraLayer,
} from './encodings';
import type { InboundStats, OutboundStats } from './mediaStats';

type Consumer = types.Consumer;
type Producer = types.Producer;
type Transport = types.Transport;
/** A local track being sent, as a rebuild sends it again. */
type LocalSource = { source: MediaSourceName; track: MediaStreamTrack; paused: boolean };

// The protocol carries mediasoup's own types. Where mediasoup-client types the
// same JSON differently (looser or stricter, never another shape), the value is
// cast to the receiving side's type where it crosses, with the difference named.

export interface RemoteTrack {
  consumerId: string;
  participantId: string;
  source: MediaSourceName;
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  /** The sender muted this source (its producer is paused). */
  producerPaused: boolean;
}

export interface RoomConnectionEvents {
  trackAdded: (track: RemoteTrack) => void;
  trackRemoved: (consumerId: string) => void;
  /** The server stopped or muted one of our sources (moderator, permission change). */
  localSourceStopped: (source: MediaSourceName, reason: string) => void;
  localSourceMuted: (source: MediaSourceName) => void;
  transportState: (direction: 'send' | 'recv', state: RTCPeerConnectionState) => void;
  /** Rebuilding the media plane failed; the page should offer to reload. */
  failed: (error: unknown) => void;
}

type Listeners = { [E in keyof RoomConnectionEvents]: Set<RoomConnectionEvents[E]> };

const AUDIO_CODEC_OPTIONS = { opusStereo: false, opusDtx: true, opusFec: true } as const;

/**
 * Refusals of a consumer's resume that mean nothing is missing: it closed
 * with its sender, or the page's media is being rebuilt (moved to another
 * group, a worker replaced) or its lesson is over, and a new set-up follows.
 */
const SUPERSEDED = new Set(['UNKNOWN_CONSUMER', 'MEDIA_RECONNECTING', 'NOT_JOINED', 'WRONG_STATE']);

/**
 * One participant's media in a lesson, independent of any UI: a mediasoup
 * Device, one send and one receive transport, our producers per source and
 * the consumers the server offers. It survives a media reconnect (a worker
 * died, the socket came back) by rebuilding on the new router and sending
 * again whatever it was sending.
 */
export class RoomConnection {
  private device: Device | undefined;
  /** TURN servers (with credentials minted for this page) for both transports, from the latest media set-up. */
  private iceServers: RTCIceServer[] | undefined;
  private sendTransport: Transport | undefined;
  private recvTransport: Transport | undefined;
  private recvReady: Promise<Transport> | undefined;
  private readonly producers = new Map<MediaSourceName, Producer>();
  private readonly consumers = new Map<string, { consumer: Consumer; info: RemoteTrack }>();
  private readonly listeners: Listeners = {
    trackAdded: new Set(),
    trackRemoved: new Set(),
    localSourceStopped: new Set(),
    localSourceMuted: new Set(),
    transportState: new Set(),
    failed: new Set(),
  };
  private readonly unsubscribe: Array<() => void> = [];
  /** Dynacast: the camera's simulcast layers, and how many of each producer's layers anyone consumes. */
  private cameraLayers: CameraLayer[] = [];
  /** What a camera track captured when first sent: dynacast lowers it later, a reconnect must not. */
  private readonly firstHeights = new WeakMap<MediaStreamTrack, number>();
  private readonly consumedLayers = new Map<string, number>();
  private encoding: Promise<void> = Promise.resolve();
  private generation = 0;
  /**
   * What a rebuild has still to send again. A newer rebuild (moved into a breakout room while the
   * last reconnect was still sending) takes these over instead of losing them with its teardown.
   */
  private unsent: LocalSource[] = [];
  private closed = false;
  /** The current start(); sending waits for it so a quick click never races the set-up. */
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly signaling: SignalingClient) {
    this.unsubscribe.push(
      signaling.on('newConsumer', (event) => {
        const generation = this.generation;
        this.onNewConsumer(event, generation).catch((error: unknown) =>
          this.consumerFailed(error, generation),
        );
      }),
      signaling.on('consumerClosed', ({ consumerId }) => this.dropConsumer(consumerId)),
      signaling.on('producerClosed', ({ producerId, source, reason }) => {
        const producer = this.producers.get(source);
        if (producer?.id !== producerId) return;
        this.stopLocal(source);
        this.emit('localSourceStopped', source, reason);
      }),
      // A worker died or the room moved: rebuild on the new router.
      signaling.on('media:reconnect', (setup) => {
        this.start(setup).catch((error: unknown) => this.emit('failed', error));
      }),
      signaling.on('consumedLayers', ({ producerId, spatialLayers }) => {
        this.consumedLayers.set(producerId, spatialLayers);
        const entry = [...this.producers].find(([, producer]) => producer.id === producerId);
        if (entry) this.encodeConsumed(entry[0], entry[1]);
      }),
      signaling.on('mod:muted', ({ source }) => {
        this.producers.get(source)?.pause();
        this.emit('localSourceMuted', source);
      }),
      signaling.on('participantUpdated', (participant) => {
        for (const { consumer, info } of this.consumers.values()) {
          if (info.participantId !== participant.id) continue;
          const paused = participant.sources[info.source]?.paused ?? false;
          if (paused !== info.producerPaused) {
            info.producerPaused = paused;
            this.emit('trackAdded', { ...info, track: consumer.track });
          }
        }
      }),
    );
  }

  on<E extends keyof RoomConnectionEvents>(event: E, listener: RoomConnectionEvents[E]): () => void {
    (this.listeners[event] as Set<RoomConnectionEvents[E]>).add(listener);
    return () => (this.listeners[event] as Set<RoomConnectionEvents[E]>).delete(listener);
  }

  /** Whether the transports are still here to continue on after the signalling connection came back. */
  canContinue(): boolean {
    return Boolean(this.device && this.recvTransport && !this.recvTransport.closed);
  }

  /**
   * The signalling connection came back and the server kept our media: drop
   * consumers it closed meanwhile, stop or mute what it stopped or muted, and
   * restart ICE where the network cut left a transport disconnected.
   */
  async continueAfterReconnect(consumerIds: string[], self: ParticipantInfo): Promise<void> {
    const current = new Set(consumerIds);
    for (const consumerId of [...this.consumers.keys()])
      if (!current.has(consumerId)) this.dropConsumer(consumerId);
    for (const [source, producer] of [...this.producers]) {
      const onServer = self.sources[source];
      if (onServer?.producerId !== producer.id) {
        this.stopLocal(source);
        this.emit('localSourceStopped', source, 'server');
      } else if (onServer.paused && !producer.paused) {
        producer.pause();
        this.emit('localSourceMuted', source);
      }
    }
    for (const transport of [this.sendTransport, this.recvTransport]) {
      if (transport && !transport.closed && transport.connectionState !== 'connected') {
        await this.restartIce(transport);
      }
    }
  }

  /** Builds the media plane on the router the server assigned; called again after a reconnect. */
  start(setup: MediaSetup): Promise<void> {
    this.ready = this.build(setup);
    return this.ready;
  }

  private async build(setup: MediaSetup): Promise<void> {
    const generation = ++this.generation;
    const tracks = this.teardown();
    const device = await Device.factory();
    // The server leaves a codec's preferredPayloadType optional; a router always sets it.
    await device.load({ routerRtpCapabilities: setup.routerRtpCapabilities as types.RtpCapabilities });
    if (generation !== this.generation) return;
    this.device = device;
    this.iceServers = setup.iceServers;
    this.recvReady = this.createTransport('recv').then((transport) => {
      this.recvTransport = transport;
      return transport;
    });
    await this.recvReady;
    // mediasoup-client types codec parameters as unknown values; the server checks them.
    await this.signaling.request('media:capabilities', {
      rtpCapabilities: device.rtpCapabilities as RtpCapabilities,
    });
    if (generation !== this.generation) return;
    if (tracks.length === 0) return;
    // Send again what we were sending before the reconnect, muted state included.
    for (const item of tracks) {
      if (generation !== this.generation) return;
      this.unsent = this.unsent.filter((pending) => pending !== item);
      if (item.track.readyState === 'ended') continue;
      await this.send(item.source, item.track);
      if (item.paused) await this.setPaused(item.source, true);
    }
  }

  get rtpCapabilities() {
    return this.device?.rtpCapabilities;
  }

  /** Sends a local track as a source; replaces the track if the source is already live. */
  async publish(source: MediaSourceName, track: MediaStreamTrack): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.send(source, track);
  }

  private async send(source: MediaSourceName, track: MediaStreamTrack): Promise<void> {
    const existing = this.producers.get(source);
    if (existing && !existing.closed) {
      await existing.replaceTrack({ track });
      // A new camera track captures what the device gives: bring it back to what is consumed.
      this.encodeConsumed(source, existing);
      return;
    }
    const transport = this.sendTransport ?? (this.sendTransport = await this.createSendTransport());
    if (source === 'camera') {
      const height = this.firstHeights.get(track) ?? track.getSettings().height ?? 720;
      this.firstHeights.set(track, height);
      this.cameraLayers = cameraLayers(height);
    }
    const producer = await transport.produce({
      track,
      stopTracks: false,
      // Paused sources send nothing at all, not even silence.
      zeroRtpOnPause: true,
      disableTrackOnPause: true,
      appData: { source },
      ...producerOptions(source, track, this.cameraLayers),
    });
    this.producers.set(source, producer);
    this.encodeConsumed(source, producer);
    producer.on('transportclose', () => this.producers.delete(source));
    producer.on('trackended', () => {
      // The browser's own "stop sharing" button, or a device unplugged.
      void this.unpublish(source).catch(() => undefined);
      this.emit('localSourceStopped', source, 'ended');
    });
  }

  /**
   * Dynacast: the server said how many layers of this producer anyone
   * consumes. The others are paused (encoding `active` flags through
   * mediasoup-client, which keeps the SDP in step), and a camera captures
   * only what the highest consumed layer needs: 427x240 for tiles.
   */
  private encodeConsumed(source: MediaSourceName, producer: Producer): void {
    const spatialLayers = this.consumedLayers.get(producer.id);
    if (spatialLayers === undefined || producer.kind !== 'video') return;
    this.encoding = this.encoding.then(async () => {
      if (producer.closed || this.consumedLayers.get(producer.id) !== spatialLayers) return;
      await producer.setMaxSpatialLayer(spatialLayers - 1);
      const track = producer.track;
      if (source !== 'camera' || spatialLayers === 0 || !track || track.readyState === 'ended') return;
      const height = captureHeightFor(this.cameraLayers, spatialLayers);
      if (track.getSettings().height === height) return;
      await this.scaleLayers(producer, height);
      await track
        .applyConstraints({
          width: { ideal: Math.round((height * 16) / 9) },
          height: { ideal: height },
          frameRate: CAMERA_CONSTRAINTS.frameRate,
        })
        // A camera that cannot give this size keeps its own: the layers are scaled to it below.
        .catch(() => undefined);
      const captured = track.getSettings().height;
      if (captured && captured !== height) await this.scaleLayers(producer, captured);
    });
    // A step that failed (the producer closed meanwhile) leaves the sender as it was; the next
    // word from the server tries again. The chain itself must go on.
    this.encoding = this.encoding.catch(() => undefined);
  }

  /** Each layer scaled from the capture to its own height, whatever the camera captures now. */
  private async scaleLayers(producer: Producer, captureHeight: number): Promise<void> {
    const sender = producer.rtpSender;
    if (!sender) return;
    const parameters = sender.getParameters();
    // A tile is 427x240 already: on a busy machine the encoder drops frames, not resolution.
    parameters.degradationPreference = 'maintain-resolution';
    const wanted = cameraEncodings(this.cameraLayers, captureHeight);
    parameters.encodings.forEach((encoding, index) => {
      encoding.scaleResolutionDownBy = wanted[index]?.scaleResolutionDownBy ?? 1;
    });
    await sender.setParameters(parameters);
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

  /** Tells the server which participants' video this client shows; the rest is paused there. */
  async setVisibleTiles(visible: string[], focus: string | null): Promise<void> {
    await this.signaling.request('setVisibleTiles', { visible, focus });
  }

  remoteTracks(): RemoteTrack[] {
    return [...this.consumers.values()].map(({ consumer, info }) => ({ ...info, track: consumer.track }));
  }

  async inboundStats(): Promise<InboundStats[]> {
    const results: InboundStats[] = [];
    for (const { consumer, info } of this.consumers.values()) {
      const report = await consumer.getStats();
      let inbound: Record<string, number> = {};
      report.forEach((stat: Record<string, unknown>) => {
        if (stat.type === 'inbound-rtp') inbound = stat as Record<string, number>;
      });
      results.push({
        consumerId: info.consumerId,
        participantId: info.participantId,
        source: info.source,
        kind: info.kind,
        paused: consumer.paused,
        packetsReceived: inbound.packetsReceived ?? 0,
        packetsLost: inbound.packetsLost ?? 0,
        bytesReceived: inbound.bytesReceived ?? 0,
        framesReceived: inbound.framesReceived ?? inbound.framesDecoded ?? 0,
        framesDecoded: inbound.framesDecoded ?? 0,
        frameWidth: inbound.frameWidth ?? 0,
        frameHeight: inbound.frameHeight ?? 0,
        jitter: inbound.jitter ?? 0,
      });
    }
    return results;
  }

  async outboundStats(): Promise<OutboundStats[]> {
    const results: OutboundStats[] = [];
    for (const [source, producer] of this.producers) {
      const report = await producer.getStats();
      const layers: OutboundStats['layers'] = [];
      let fmtp: string | undefined;
      report.forEach((stat: Record<string, unknown>) => {
        if (stat.type === 'codec') fmtp = stat.sdpFmtpLine as string | undefined;
        if (stat.type !== 'outbound-rtp') return;
        layers.push({
          rid: stat.rid as string | undefined,
          packetsSent: (stat.packetsSent as number) ?? 0,
          bytesSent: (stat.bytesSent as number) ?? 0,
          frameWidth: (stat.frameWidth as number) ?? 0,
          frameHeight: (stat.frameHeight as number) ?? 0,
        });
      });
      const encodings = (producer.rtpSender?.getParameters().encodings ?? []).map((encoding) => ({
        ...(encoding.rid ? { rid: encoding.rid } : {}),
        active: encoding.active !== false,
      }));
      results.push({ source, paused: producer.paused, layers, encodings, ...(fmtp ? { fmtp } : {}) });
    }
    return results;
  }

  /** Closes everything; local tracks stay with their owner (the device composable stops them). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.generation += 1;
    for (const off of this.unsubscribe) off();
    this.teardown();
    for (const set of Object.values(this.listeners)) set.clear();
  }

  private teardown(): LocalSource[] {
    const live: LocalSource[] = [...this.producers.entries()]
      .filter(([, producer]) => producer.track)
      .map(([source, producer]) => ({ source, track: producer.track!, paused: producer.paused }));
    live.push(...this.unsent.filter((pending) => !this.producers.has(pending.source)));
    this.unsent = live;
    for (const consumerId of [...this.consumers.keys()]) this.dropConsumer(consumerId);
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = undefined;
    this.recvTransport = undefined;
    this.recvReady = undefined;
    this.producers.clear();
    return live;
  }

  private stopLocal(source: MediaSourceName): Producer | undefined {
    const producer = this.producers.get(source);
    if (!producer) return undefined;
    this.producers.delete(source);
    producer.close();
    return producer;
  }

  private async createSendTransport(): Promise<Transport> {
    if (!this.device) throw new Error('Media is not started yet');
    return this.createTransport('send');
  }

  private async createTransport(direction: 'send' | 'recv') {
    const device = this.device!;
    const { iceServers } = this;
    const info: TransportInfo = await this.signaling.request('createTransport', { direction });
    const options = {
      id: info.id,
      iceParameters: info.iceParameters,
      // mediasoup 3.12 names a candidate's address `ip`, which mediasoup-client still reads.
      iceCandidates: info.iceCandidates as types.IceCandidate[],
      // The server types a fingerprint's algorithm as any string, mediasoup-client as the hashes it knows.
      dtlsParameters: info.dtlsParameters as types.DtlsParameters,
      ...(iceServers?.length ? { iceServers } : {}),
    };
    const transport =
      direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signaling
        .request('connectTransport', { transportId: transport.id, dtlsParameters })
        .then(() => callback(), errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.signaling
          .request('produce', {
            transportId: transport.id,
            kind,
            // mediasoup-client types codec parameters as unknown values; the server checks them.
            rtpParameters: rtpParameters as RtpParameters,
            source: appData.source as MediaSourceName,
          })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      this.emit('transportState', direction, state);
      if (state === 'failed' && !transport.closed) void this.restartIce(transport);
    });
    return transport;
  }

  private async restartIce(transport: Transport): Promise<void> {
    try {
      const { iceParameters } = await this.signaling.request('restartIce', { transportId: transport.id });
      await transport.restartIce({ iceParameters });
    } catch {
      // The transport is gone (reconnect in progress); the next start() rebuilds it.
    }
  }

  private async onNewConsumer(event: ServerEvents['newConsumer'], generation: number): Promise<void> {
    const transport = await this.recvReady;
    if (!transport || generation !== this.generation || transport.closed) return;
    if (this.consumers.has(event.consumerId)) {
      // Announced again after a reconnect: we have it; the server missed our resume.
      await this.signaling.request('resumeConsumer', { consumerId: event.consumerId });
      return;
    }
    const consumer = await transport.consume({
      id: event.consumerId,
      producerId: event.producerId,
      kind: event.kind,
      // The server types header extension URIs as any string, mediasoup-client as the ones it knows.
      rtpParameters: event.rtpParameters as types.RtpParameters,
    });
    const info: RemoteTrack = {
      consumerId: consumer.id,
      participantId: event.participantId,
      source: event.source,
      kind: event.kind,
      track: consumer.track,
      producerPaused: event.producerPaused,
    };
    this.consumers.set(consumer.id, { consumer, info });
    consumer.on('transportclose', () => this.dropConsumer(consumer.id));
    this.emit('trackAdded', info);
    // Created paused on the server; it resumes once we can render it.
    await this.signaling.request('resumeConsumer', { consumerId: consumer.id });
  }

  /**
   * Receiving a consumer failed (consuming it, or asking the server to resume
   * it): the page is told, as a media failure, unless a rebuild replaces it
   * anyway or the server says the consumer is gone with its room.
   */
  private consumerFailed(error: unknown, generation: number): void {
    if (this.closed || generation !== this.generation) return;
    if (error instanceof RequestError && SUPERSEDED.has(error.code)) return;
    this.emit('failed', error);
  }

  private dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    entry.consumer.close();
    this.emit('trackRemoved', consumerId);
  }

  private emit<E extends keyof RoomConnectionEvents>(
    event: E,
    ...args: Parameters<RoomConnectionEvents[E]>
  ): void {
    for (const listener of this.listeners[event]) {
      (listener as (...values: Parameters<RoomConnectionEvents[E]>) => void)(...args);
    }
  }
}

function producerOptions(source: MediaSourceName, track: MediaStreamTrack, layers: CameraLayer[]) {
  switch (source) {
    case 'camera':
      return {
        encodings: cameraEncodings(layers, track.getSettings().height ?? 720),
        codecOptions: { videoGoogleStartBitrate: 300 },
      };
    case 'screen':
      track.contentHint = 'detail';
      return { encodings: SCREEN_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } };
    default:
      return { codecOptions: AUDIO_CODEC_OPTIONS };
  }
}
