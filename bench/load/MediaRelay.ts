import dgram from 'node:dgram';
import { bindingRequest, packetKind } from './stun.js';

export interface IceEndpoint {
  ip: string;
  port: number;
  usernameFragment: string;
  password: string;
}

export interface RelayOptions {
  /** Aula's transport: the one a browser would talk to. */
  aula: IceEndpoint;
  /** The generator's own mediasoup transport, which does DTLS and SRTP for this participant. */
  generator: IceEndpoint;
  /** Called with every RTP packet Aula sends, before it is dropped or forwarded. */
  onRtp?: (packet: Buffer) => void;
  /**
   * Whether Aula's RTP and RTCP go on to the generator's transport. A send
   * transport needs Aula's RTCP (keyframe requests, NACKs); a receive
   * transport's media is only counted, which keeps the generator light.
   */
  forwardMedia: boolean;
}

const CONSENT_INTERVAL_MS = 5_000;

/**
 * Joins two ICE-lite mediasoup transports through one UDP socket: it sends
 * each the connectivity checks a browser would, then passes DTLS, SRTP and
 * SRTCP between them. Aula sees an ordinary WebRTC peer at this socket.
 */
export class MediaRelay {
  private readonly socket = dgram.createSocket('udp4');
  private readonly consent: NodeJS.Timeout;
  private closed = false;
  /** Packets by origin and kind, for a failure message worth reading. */
  private readonly seen = { aula: new Map<string, number>(), generator: new Map<string, number>() };
  private error: Error | undefined;

  private constructor(private readonly options: RelayOptions) {
    this.socket.on('message', (packet, from) => this.route(packet, from));
    this.socket.on('error', (error) => {
      this.error = error;
      this.close();
    });
    this.consent = setInterval(() => this.check(), CONSENT_INTERVAL_MS);
  }

  static async open(options: RelayOptions): Promise<MediaRelay> {
    const relay = new MediaRelay(options);
    await new Promise<void>((resolve) => relay.socket.bind(0, '127.0.0.1', resolve));
    // Aula first: it must know this address before the generator's DTLS hello arrives.
    relay.send(bindingRequest(relayIce(options.aula)), options.aula);
    relay.send(bindingRequest(relayIce(options.generator)), options.generator);
    return relay;
  }

  /** What reached the relay so far, and a socket error if it closed on one. */
  describe(): string {
    const count = (origin: 'aula' | 'generator') =>
      [...this.seen[origin]].map(([kind, n]) => `${kind} ${n}`).join(', ') || 'nothing';
    return `from Aula: ${count('aula')}; from the generator: ${count('generator')}${this.error ? `; ${this.error.message}` : ''}`;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.consent);
    this.socket.close();
  }

  private check(): void {
    this.send(bindingRequest(relayIce(this.options.aula)), this.options.aula);
    this.send(bindingRequest(relayIce(this.options.generator)), this.options.generator);
  }

  private route(packet: Buffer, from: dgram.RemoteInfo): void {
    const kind = packetKind(packet);
    const { aula, generator } = this.options;
    const origin =
      from.port === aula.port && from.address === aula.ip
        ? 'aula'
        : from.port === generator.port && from.address === generator.ip
          ? 'generator'
          : undefined;
    if (!origin) return;
    this.seen[origin].set(kind, (this.seen[origin].get(kind) ?? 0) + 1);
    if (kind === 'stun' || kind === 'other') return;
    if (origin === 'aula') {
      if (kind === 'rtp') this.options.onRtp?.(packet);
      if (kind === 'dtls' || this.options.forwardMedia) this.send(packet, generator);
    } else {
      this.send(packet, aula);
    }
  }

  private send(packet: Buffer, to: { ip: string; port: number }): void {
    if (!this.closed) this.socket.send(packet, to.port, to.ip);
  }
}

function relayIce(endpoint: IceEndpoint) {
  return { remoteUsernameFragment: endpoint.usernameFragment, remotePassword: endpoint.password };
}
