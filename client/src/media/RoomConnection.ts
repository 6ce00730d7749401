import type { MediaSetup, MediaSourceName, ParticipantInfo } from '@protocol';
import type { SignalingClient } from '../signaling/SignalingClient';
import type { FrameEncryption } from '../e2ee/frameEncryption';
import { MediaTransports } from './MediaTransports';
import { Emitter, type LocalSource, type RemoteTrack, type RoomConnectionEvents } from './mediaEvents';
import type { InboundStats, OutboundStats } from './mediaStats';
import { Publisher } from './Publisher';
import { Subscriber } from './Subscriber';

export type { RemoteTrack, RoomConnectionEvents } from './mediaEvents';

/**
 * One participant's media in a lesson, independent of any UI, as three
 * layers (livekit's client splits engine, local and remote participant the
 * same way): the transports (`MediaTransports`), what we send
 * (`Publisher`, with the camera's layers in `CameraLayers`) and what others
 * send us (`Subscriber`). This facade builds them on the router the server
 * assigned and rebuilds them after a media reconnect (a worker died, we
 * moved into a breakout room), sending again whatever we were sending.
 */
export class RoomConnection {
  private readonly events = new Emitter<RoomConnectionEvents>();
  private readonly transports: MediaTransports;
  private readonly publisher: Publisher;
  private readonly subscriber: Subscriber;
  private readonly unsubscribe: Array<() => void>;
  private closed = false;
  /** The frame cipher while the lesson is end-to-end encrypted. */
  private encryption: FrameEncryption | undefined;
  /** The current start(); sending waits for it so a quick click never races the set-up. */
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly signaling: SignalingClient) {
    const encryption = () => this.encryption;
    this.transports = new MediaTransports(signaling, this.events, encryption);
    this.publisher = new Publisher(signaling, this.transports, this.events, encryption);
    this.subscriber = new Subscriber(signaling, this.transports, this.events, encryption);
    this.unsubscribe = [
      // A worker died or the room moved: rebuild on the new router.
      signaling.on('media:reconnect', (setup) => {
        this.start(setup).catch((error: unknown) => this.events.emit('failed', error));
      }),
    ];
  }

  on<E extends keyof RoomConnectionEvents>(event: E, listener: RoomConnectionEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  /** Whether the transports are still here to continue on after the signalling connection came back. */
  canContinue(): boolean {
    return this.transports.canContinue();
  }

  /**
   * The signalling connection came back and the server kept our media: drop
   * consumers it closed meanwhile, stop or mute what it stopped or muted, and
   * restart ICE where the network cut left a transport disconnected.
   */
  async continueAfterReconnect(consumerIds: string[], self: ParticipantInfo): Promise<void> {
    this.subscriber.keepOnly(consumerIds);
    this.publisher.reconcile(self);
    await this.transports.restartDisconnected();
  }

  /**
   * The lesson is end-to-end encrypted (a cipher) or not (undefined): set
   * before start(), so that transports, producers and consumers are made for it.
   */
  encryptWith(encryption: FrameEncryption | undefined): void {
    this.encryption = encryption;
  }

  /** Builds the media plane on the router the server assigned; called again after a reconnect. */
  start(setup: MediaSetup): Promise<void> {
    this.ready = this.build(setup);
    return this.ready;
  }

  get rtpCapabilities() {
    return this.transports.rtpCapabilities;
  }

  /** Sends a local track as a source; replaces the track if the source is already live. */
  async publish(source: MediaSourceName, track: MediaStreamTrack): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.publisher.send(source, track);
  }

  unpublish(source: MediaSourceName): Promise<void> {
    return this.publisher.unpublish(source);
  }

  setPaused(source: MediaSourceName, paused: boolean): Promise<void> {
    return this.publisher.setPaused(source, paused);
  }

  isPublishing(source: MediaSourceName): boolean {
    return this.publisher.isPublishing(source);
  }

  /** Tells the server which participants' video this client shows; the rest is paused there. */
  async setVisibleTiles(visible: string[], focus: string | null): Promise<void> {
    await this.signaling.request('setVisibleTiles', { visible, focus });
  }

  remoteTracks(): RemoteTrack[] {
    return this.subscriber.remoteTracks();
  }

  inboundStats(): Promise<InboundStats[]> {
    return this.subscriber.inboundStats();
  }

  outboundStats(): Promise<OutboundStats[]> {
    return this.publisher.outboundStats();
  }

  /** Closes everything; local tracks stay with their owner (the device composable stops them). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.unsubscribe) off();
    this.publisher.close();
    this.subscriber.close();
    this.teardown();
    this.events.clear();
  }

  private async build(setup: MediaSetup): Promise<void> {
    const tracks = this.teardown();
    const generation = this.transports.current;
    if (!(await this.transports.open(setup, generation))) return;
    // Send again what we were sending before the reconnect, muted state included.
    await this.publisher.resend(tracks, () => generation === this.transports.current);
  }

  /** Everything of the current generation goes; answers what was being sent, to send it again. */
  private teardown(): LocalSource[] {
    const live = this.publisher.takeLive();
    this.subscriber.dropAll();
    this.transports.reset();
    return live;
  }
}
