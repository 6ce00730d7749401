import { Device, type types } from 'mediasoup-client';
import type { MediaSetup, MediaSourceName, RtpCapabilities, RtpParameters, TransportInfo } from '@protocol';
import type { SignalingClient } from '../signaling/SignalingClient';
import { logWarning } from '../shared/log';
import type { CurrentEncryption } from '../e2ee/frameEncryption';
import type { MediaEvents } from './mediaEvents';

type Transport = types.Transport;
type Direction = 'send' | 'recv';

// The protocol carries mediasoup's own types. Where mediasoup-client types the
// same JSON differently (looser or stricter, never another shape), the value is
// cast to the receiving side's type where it crosses, with the difference named.

/**
 * The engine under a lesson's media: the mediasoup Device loaded with the
 * router's capabilities, one receive transport opened at once and one send
 * transport opened with the first source sent, and ICE restarts. Every
 * rebuild starts a new generation; work begun for an older one stops at its
 * next check of `current`.
 */
export class MediaTransports {
  private device: Device | undefined;
  /** TURN servers (with credentials minted for this page) for both transports, from the latest media set-up. */
  private iceServers: RTCIceServer[] | undefined;
  private send: Transport | undefined;
  private sending: Promise<Transport> | undefined;
  private recv: Transport | undefined;
  private receiving: Promise<Transport> | undefined;
  private generation = 0;

  constructor(
    private readonly signaling: Pick<SignalingClient, 'request'>,
    private readonly events: MediaEvents,
    private readonly encryption: CurrentEncryption = () => undefined,
  ) {}

  /** The generation now being built or in use. */
  get current(): number {
    return this.generation;
  }

  get rtpCapabilities(): types.RtpCapabilities | undefined {
    return this.device?.rtpCapabilities;
  }

  /** Whether the transports are still here to continue on after the signalling connection came back. */
  canContinue(): boolean {
    return Boolean(this.device && this.recv && !this.recv.closed);
  }

  /** Starts a new generation: both transports close, and their producers and consumers with them. */
  reset(): number {
    this.generation += 1;
    this.send?.close();
    this.recv?.close();
    this.send = undefined;
    this.recv = undefined;
    this.sending = undefined;
    this.receiving = undefined;
    return this.generation;
  }

  /**
   * Loads the device for the router the server assigned, opens the receive
   * transport and tells the server what we can receive. False once a newer
   * generation began meanwhile: the caller stops there.
   */
  async open(setup: MediaSetup, generation: number): Promise<boolean> {
    const device = await Device.factory();
    // The server leaves a codec's preferredPayloadType optional; a router always sets it.
    await device.load({ routerRtpCapabilities: setup.routerRtpCapabilities as types.RtpCapabilities });
    if (generation !== this.generation) return false;
    this.device = device;
    this.iceServers = setup.iceServers;
    this.receiving = this.create('recv', generation).then((transport) => {
      if (generation === this.generation) this.recv = transport;
      return transport;
    });
    await this.receiving;
    if (generation !== this.generation) return false;
    // mediasoup-client types codec parameters as unknown values; the server checks them.
    await this.signaling.request('media:capabilities', {
      rtpCapabilities: device.rtpCapabilities as RtpCapabilities,
    });
    return generation === this.generation;
  }

  /** The device's codec of that MIME type, to send in it. */
  codecFor(mimeType: string): types.RtpCodecCapability | undefined {
    return this.device?.rtpCapabilities.codecs?.find(
      (codec) => codec.mimeType.toLowerCase() === mimeType.toLowerCase(),
    );
  }

  /** The receive transport of this generation, once open; undefined while none is being opened. */
  receiver(): Promise<Transport> | undefined {
    return this.receiving;
  }

  /** The send transport, opened with the first source we send. */
  sender(): Promise<Transport> {
    if (!this.device) return Promise.reject(new Error('Media is not started yet'));
    if (this.send && !this.send.closed) return Promise.resolve(this.send);
    if (!this.sending) {
      const generation = this.generation;
      const sending = this.create('send', generation).then((transport) => {
        if (generation === this.generation) this.send = transport;
        return transport;
      });
      // A failed attempt is not kept: the next source sent tries again.
      sending.catch(() => {
        if (this.sending === sending) this.sending = undefined;
      });
      this.sending = sending;
    }
    return this.sending;
  }

  /** After a network cut: ICE restarts on every transport that is not connected. */
  async restartDisconnected(): Promise<void> {
    for (const transport of [this.send, this.recv]) {
      if (transport && !transport.closed && transport.connectionState !== 'connected') {
        await this.restartIce(transport);
      }
    }
  }

  /** Closes both transports; nothing of an older generation goes on. */
  close(): void {
    this.reset();
  }

  private async create(direction: Direction, generation: number): Promise<Transport> {
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
      // The frame cipher's fallback (encoded streams) must be asked for when the connection is made.
      additionalSettings: this.encryption()?.peerConnectionSettings ?? {},
    };
    const transport =
      direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    if (generation !== this.generation) {
      // Rebuilt while the server opened it: the new generation opens its own, this one is never used.
      transport.close();
      return transport;
    }
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
            ...(appData.encrypted ? { encrypted: true } : {}),
          })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      this.events.emit('transportState', direction, state);
      if (state === 'failed' && !transport.closed) void this.restartIce(transport);
    });
    return transport;
  }

  private async restartIce(transport: Transport): Promise<void> {
    try {
      const { iceParameters } = await this.signaling.request('restartIce', { transportId: transport.id });
      await transport.restartIce({ iceParameters });
    } catch (error) {
      // The transport is gone (a reconnect is under way): the next start() rebuilds it.
      if (!transport.closed)
        logWarning('restartIce', 'ICE restart failed', { transportId: transport.id }, error);
    }
  }
}
