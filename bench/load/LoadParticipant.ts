import crypto from 'node:crypto';
import type { types } from 'mediasoup';
import type { MediaSourceName, TransportInfo } from '../../src/protocol/index.js';
import { ClassroomClient } from '../../test/support/classroomClient.js';
import { type IceEndpoint, MediaRelay } from './MediaRelay.js';
import { ReceiveCounter } from './ReceiveCounter.js';
import { OpusSource, Vp8Source, keyFrameRequests, type VideoLayerShape } from './syntheticMedia.js';

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const VIDEO_FEEDBACK = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
] satisfies types.RtcpFeedback[];

export interface CameraLayer {
  width: number;
  height: number;
  bitrate: number;
}

export interface ParticipantPlan {
  token: string;
  /**
   * Sends speech, an open microphone in silence (Opus DTX: a small packet every 400 ms), or a
   * paused microphone that sends nothing, as a muted browser does.
   */
  mic: 'speaking' | 'silent' | 'muted';
  /** Simulcast layers of the camera, lowest first; none for no camera. */
  camera: CameraLayer[];
  /** The teacher starts the lesson; everyone else finds it started. */
  startsLesson?: boolean;
}

/**
 * One simulated browser: real signalling over socket.io, real ICE/DTLS/SRTP
 * towards Aula through a MediaRelay, with the generator's own mediasoup
 * transports doing DTLS and SRTP and pre-made streams as the media.
 */
export class LoadParticipant {
  readonly received = new ReceiveCounter();
  /** RTP packets and bytes this participant's sources handed to its transport. */
  sent = 0;
  sentBytes = 0;
  participantId = '';
  private readonly sources: Array<OpusSource | Vp8Source> = [];
  private readonly relays: MediaRelay[] = [];
  private readonly transports: types.Transport[] = [];

  private constructor(
    private readonly client: ClassroomClient,
    private readonly router: types.Router,
  ) {}

  static async join(url: string, plan: ParticipantPlan, router: types.Router): Promise<LoadParticipant> {
    const client = await ClassroomClient.connect(url, plan.token);
    const participant = new LoadParticipant(client, router);
    try {
      await participant.start(plan);
    } catch (error) {
      participant.close();
      throw error;
    }
    return participant;
  }

  /** Which tiles this participant's screen would show: the server pauses the rest. */
  async showTiles(visible: string[], focus: string | null): Promise<void> {
    await this.client.request('setVisibleTiles', { visible, focus });
  }

  close(): void {
    for (const source of this.sources) source.stop();
    for (const relay of this.relays) relay.close();
    for (const transport of this.transports) transport.close();
    this.client.close();
  }

  private async start(plan: ParticipantPlan): Promise<void> {
    let joined = await this.client.request('join');
    if (joined.status === 'lobby' && plan.startsLesson) {
      const started = this.client.next('lesson:started');
      await this.client.request('lesson:start');
      joined = await started;
    }
    if (joined.status !== 'joined') throw new Error(`join answered ${joined.status}`);
    this.participantId = joined.self.id;
    // Every consumer is resumed the moment it arrives, as the classroom page does once it is rendered.
    this.client.socket.on('newConsumer', ({ consumerId }: { consumerId: string }) => {
      this.client.request('resumeConsumer', { consumerId }).catch(() => undefined);
    });
    const aulaCapabilities = joined.media.routerRtpCapabilities;
    await this.client.request('media:capabilities', {
      rtpCapabilities: receiveCapabilities(aulaCapabilities),
    });
    const send = await this.connect('send');
    await this.connect('recv', (packet) => this.received.record(packet));

    const direct = await this.router.createDirectTransport();
    this.transports.push(direct);
    const byKeyFrameSsrc = new Map<number, Vp8Source>();
    direct.on('rtcp', (packet) => {
      for (const ssrc of keyFrameRequests(packet)) byKeyFrameSsrc.get(ssrc)?.requestKeyFrame();
    });
    const cname = crypto.randomBytes(8).toString('hex');

    const micSsrc = randomSsrc();
    const mic = await direct.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48_000, channels: 2 }],
        headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: 1 }],
        encodings: [{ ssrc: micSsrc }],
        rtcp: { cname },
      },
    });
    const micProducerId = await this.publish(send, 'mic', 'audio', [await this.forward(send.local, mic)]);
    if (plan.mic !== 'muted') {
      this.sources.push(
        new OpusSource(
          { ssrc: micSsrc, payloadType: 100, audioLevelId: 1 },
          (p) => this.sendOn(mic, p),
          plan.mic === 'silent',
        ),
      );
    } else {
      await this.client.request('pauseProducer', { producerId: micProducerId });
    }

    if (plan.camera.length) {
      const layers: types.Consumer[] = [];
      const sources: Vp8Source[] = [];
      // Dynacast, as the classroom page does it: only the layers someone consumes are sent. The
      // server may say so before the produce request is answered, so what it says is kept.
      const consumed = new Map<string, number>();
      const camera: { id?: string } = {};
      const encode = () => {
        const spatialLayers = camera.id === undefined ? undefined : consumed.get(camera.id);
        if (spatialLayers !== undefined)
          sources.forEach((source, index) => source.setActive(index < spatialLayers));
      };
      this.client.socket.on(
        'consumedLayers',
        ({ producerId, spatialLayers }: { producerId: string; spatialLayers: number }) => {
          consumed.set(producerId, spatialLayers);
          encode();
        },
      );
      for (const layer of plan.camera) {
        const shape: VideoLayerShape = { ...layer, ssrc: randomSsrc(), payloadType: 101, fps: 24 };
        const producer = await direct.produce({
          kind: 'video',
          rtpParameters: {
            codecs: [
              { mimeType: 'video/VP8', payloadType: 101, clockRate: 90_000, rtcpFeedback: VIDEO_FEEDBACK },
            ],
            headerExtensions: [],
            encodings: [{ ssrc: shape.ssrc }],
            rtcp: { cname },
          },
        });
        const source = new Vp8Source(shape, (p) => this.sendOn(producer, p));
        byKeyFrameSsrc.set(shape.ssrc, source);
        this.sources.push(source);
        sources.push(source);
        layers.push(await this.forward(send.local, producer));
      }
      camera.id = await this.publish(send, 'camera', 'video', layers);
      encode();
    }
    for (const source of this.sources) source.start();
  }

  private sendOn(producer: types.Producer, packet: Buffer): void {
    this.sent += 1;
    this.sentBytes += packet.length;
    producer.send(packet);
  }

  /** A transport pair: Aula's (through signalling) and the generator's, joined by a relay. */
  private async connect(
    direction: 'send' | 'recv',
    onRtp?: (packet: Buffer) => void,
  ): Promise<{ remote: TransportInfo; local: types.WebRtcTransport }> {
    const remote = await this.client.request('createTransport', { direction });
    const local = await this.router.createWebRtcTransport({
      listenIps: [{ ip: '127.0.0.1' }],
      enableUdp: true,
      enableTcp: false,
    });
    this.transports.push(local);
    const relay = await MediaRelay.open({
      aula: iceEndpoint(remote),
      generator: iceEndpoint(local),
      forwardMedia: direction === 'send',
      onRtp,
    });
    this.relays.push(relay);
    const remoteDtls = remote.dtlsParameters;
    await this.client.request('connectTransport', {
      transportId: remote.id,
      dtlsParameters: { role: 'client', fingerprints: local.dtlsParameters.fingerprints },
    });
    await local.connect({ dtlsParameters: { role: 'server', fingerprints: remoteDtls.fingerprints } });
    if (local.dtlsState !== 'connected') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const state = `ICE ${local.iceState}, DTLS ${local.dtlsState}; relay saw ${relay.describe()}`;
          reject(new Error(`DTLS (${direction}) did not connect within 30 s: ${state}`));
        }, 30_000);
        local.on('dtlsstatechange', (state) => {
          if (state === 'connected') {
            clearTimeout(timer);
            resolve();
          } else if (state === 'failed' || state === 'closed') {
            clearTimeout(timer);
            reject(new Error(`DTLS (${direction}) ${state}`));
          }
        });
      });
    }
    return { remote, local };
  }

  /** The generator's transport sends one stream of a direct producer; its SSRC and payload type go to Aula. */
  private forward(transport: types.WebRtcTransport, producer: types.Producer): Promise<types.Consumer> {
    return transport.consume({ producerId: producer.id, rtpCapabilities: sendCapabilities(this.router) });
  }

  private async publish(
    send: { remote: TransportInfo },
    source: MediaSourceName,
    kind: types.MediaKind,
    streams: types.Consumer[],
  ): Promise<string> {
    const first = streams[0]!.rtpParameters;
    const rtpParameters: types.RtpParameters = {
      codecs: first.codecs,
      headerExtensions: first.headerExtensions,
      encodings: streams.map((stream) => ({
        ssrc: stream.rtpParameters.encodings![0]!.ssrc,
        ...(kind === 'video' ? { scalabilityMode: 'L1T3' } : {}),
      })),
      rtcp: { cname: first.rtcp?.cname, reducedSize: true },
    };
    const { producerId } = await this.client.request('produce', {
      transportId: send.remote.id,
      kind,
      rtpParameters,
      source,
    });
    return producerId;
  }
}

function randomSsrc(): number {
  return crypto.randomBytes(4).readUInt32BE(0) || 1;
}

/** Where a transport listens over UDP, from Aula's answer (plain JSON) or the generator's own transport. */
function iceEndpoint(
  transport: Pick<TransportInfo, 'iceParameters' | 'iceCandidates'> | types.WebRtcTransport,
): IceEndpoint {
  const candidates = transport.iceCandidates as types.IceCandidate[];
  const udp = candidates.find((candidate) => candidate.protocol === 'udp');
  if (!udp) throw new Error('the transport offers no UDP candidate');
  const ice = transport.iceParameters as types.IceParameters;
  return { ip: udp.ip, port: udp.port, usernameFragment: ice.usernameFragment, password: ice.password };
}

/**
 * What the simulated browser declares it can receive: Opus and VP8 with
 * NACK and keyframe requests, but no bandwidth-estimation feedback or header
 * extensions, so Aula forwards exactly the layers its policy prefers.
 */
function receiveCapabilities(aula: types.RtpCapabilities): types.RtpCapabilities {
  return {
    codecs: (aula.codecs ?? [])
      .filter((codec) => codec.mimeType === 'audio/opus' || codec.mimeType === 'video/VP8')
      .map((codec) => ({
        ...codec,
        rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) => fb.type === 'nack' || fb.type === 'ccm'),
      })),
    headerExtensions: [],
  };
}

/** What the generator's transports send Aula: the same codecs, with the audio level for speaker detection. */
function sendCapabilities(router: types.Router): types.RtpCapabilities {
  const own = router.rtpCapabilities;
  return {
    codecs: receiveCapabilities(own).codecs,
    headerExtensions: (own.headerExtensions ?? []).filter((ext) => ext.uri === AUDIO_LEVEL_URI),
  };
}
