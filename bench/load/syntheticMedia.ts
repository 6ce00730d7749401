import crypto from 'node:crypto';

/**
 * Pre-made RTP streams shaped like what Chromium's encoders send for Aula's
 * encodings, so the generator replays bytes instead of encoding live. The SFU
 * never decodes media: it reads the RTP header, the VP8 payload descriptor
 * (picture id, TL0PICIDX, temporal layer, keyframe bit) and the audio level,
 * and forwards by size and rate. Those are what these streams get right.
 */

type Send = (packet: Buffer) => void;

const MAX_PAYLOAD = 1100;
/** Random bytes sliced into payloads: generated once, so sending costs no entropy. */
const FILLER = crypto.randomBytes(64 * 1024);
/** L1T3: temporal layer of each frame in the four-frame pattern, and its share of the bits. */
const TEMPORAL_PATTERN = [0, 2, 1, 2] as const;
const TEMPORAL_WEIGHT = [1.6, 1.0, 0.7] as const;
const KEYFRAME_WEIGHT = 8;
/** Chromium answers keyframe requests at most this often. */
const KEYFRAME_MIN_INTERVAL_MS = 500;

function rtpHeader(options: {
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  extension?: Buffer;
}): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x80 | (options.extension ? 0x10 : 0);
  head[1] = (options.marker ? 0x80 : 0) | options.payloadType;
  head.writeUInt16BE(options.seq & 0xffff, 2);
  head.writeUInt32BE(options.timestamp >>> 0, 4);
  head.writeUInt32BE(options.ssrc >>> 0, 8);
  return options.extension ? Buffer.concat([head, options.extension]) : head;
}

function filler(length: number): Buffer {
  const start = Math.floor(Math.random() * (FILLER.length - length));
  return FILLER.subarray(start, start + length);
}

/** Frames a late timer may send at once to catch up; beyond that the generator has fallen behind. */
const MAX_CATCH_UP = 3;

/**
 * Sends one frame per interval on average. A timer that fires late (the
 * generator shares two cores with Aula) sends the frames it owes, so the
 * offered load stays what a browser would send; RTP timestamps follow the
 * frame count, not the timer.
 */
abstract class PacedSource {
  private timer: NodeJS.Timeout | undefined;
  private phase: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private frames = 0;
  protected seq = Math.floor(Math.random() * 0xffff);
  private readonly timestampBase = Math.floor(Math.random() * 0xffffffff);

  protected constructor(
    protected readonly send: Send,
    private readonly intervalMs: number,
    private readonly clockRate: number,
  ) {}

  /** Starts at a random phase, as independent browsers would. */
  start(): void {
    if (this.timer || this.phase) return;
    this.phase = setTimeout(() => {
      this.phase = undefined;
      this.startedAt = performance.now();
      this.tick();
      this.timer = setInterval(() => this.tick(), this.intervalMs);
    }, Math.random() * this.intervalMs);
  }

  stop(): void {
    clearTimeout(this.phase);
    clearInterval(this.timer);
    this.phase = undefined;
    this.timer = undefined;
  }

  private tick(): void {
    const due = Math.floor((performance.now() - this.startedAt) / this.intervalMs) + 1;
    // Whatever is owed beyond the catch-up limit is skipped, as an encoder drops frames.
    if (due - this.frames > MAX_CATCH_UP) this.frames = due - MAX_CATCH_UP;
    while (this.frames < due) {
      const timestamp =
        (this.timestampBase + Math.round((this.frames * this.intervalMs * this.clockRate) / 1000)) >>> 0;
      this.frames += 1;
      this.sendFrame(timestamp);
    }
  }

  protected abstract sendFrame(timestamp: number): void;
}

export interface VideoLayerShape {
  ssrc: number;
  payloadType: number;
  width: number;
  height: number;
  bitrate: number;
  fps: number;
}

/** One VP8 simulcast layer with three temporal layers, keyframes on request. */
export class Vp8Source extends PacedSource {
  private frame = 0;
  private pictureId = Math.floor(Math.random() * 0x7fff);
  private tl0PicIdx = Math.floor(Math.random() * 0xff);
  private keyFrameWanted = true;
  private lastKeyFrameAt = 0;
  private active = true;

  constructor(
    private readonly layer: VideoLayerShape,
    send: Send,
  ) {
    super(send, 1000 / layer.fps, 90_000);
  }

  requestKeyFrame(): void {
    this.keyFrameWanted = true;
  }

  /** Dynacast: a paused layer sends nothing; resumed, it starts with a keyframe as an encoder does. */
  setActive(active: boolean): void {
    if (active && !this.active) this.keyFrameWanted = true;
    this.active = active;
  }

  protected sendFrame(timestamp: number): void {
    if (!this.active) return;
    const now = performance.now();
    const key = this.keyFrameWanted && now - this.lastKeyFrameAt >= KEYFRAME_MIN_INTERVAL_MS;
    if (key) {
      this.keyFrameWanted = false;
      this.lastKeyFrameAt = now;
      this.frame = 0;
    }
    const temporal = key ? 0 : TEMPORAL_PATTERN[this.frame % TEMPORAL_PATTERN.length]!;
    if (temporal === 0) this.tl0PicIdx = (this.tl0PicIdx + 1) & 0xff;
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    this.frame += 1;
    const average = this.layer.bitrate / 8 / this.layer.fps;
    const size = Math.max(
      64,
      Math.round(
        average * (key ? KEYFRAME_WEIGHT : TEMPORAL_WEIGHT[temporal]!) * (0.85 + Math.random() * 0.3),
      ),
    );
    const body = Buffer.concat([this.frameHeader(key, size), filler(size)]);
    for (let offset = 0; offset < body.length; offset += MAX_PAYLOAD) {
      const chunk = body.subarray(offset, offset + MAX_PAYLOAD);
      const last = offset + MAX_PAYLOAD >= body.length;
      this.send(
        Buffer.concat([
          rtpHeader({
            payloadType: this.layer.payloadType,
            marker: last,
            seq: this.seq++,
            timestamp,
            ssrc: this.layer.ssrc,
          }),
          this.descriptor(offset === 0, temporal),
          chunk,
        ]),
      );
    }
  }

  /** RFC 7741 payload descriptor with picture id, TL0PICIDX and temporal layer id. */
  private descriptor(startOfFrame: boolean, temporal: number): Buffer {
    const out = Buffer.alloc(6);
    out[0] = 0x80 | (startOfFrame ? 0x10 : 0);
    out[1] = 0xe0;
    out.writeUInt16BE(0x8000 | this.pictureId, 2);
    out[4] = this.tl0PicIdx;
    out[5] = (temporal << 6) | (temporal > 0 ? 0x20 : 0);
    return out;
  }

  /** The VP8 frame tag (RFC 6386 §9.1); a keyframe carries the start code and dimensions. */
  private frameHeader(key: boolean, size: number): Buffer {
    const tag = Buffer.alloc(key ? 10 : 3);
    const firstPartition = Math.min(size, 0x7ffff);
    const bits = (firstPartition << 5) | 0x10 | (key ? 0 : 1);
    tag[0] = bits & 0xff;
    tag[1] = (bits >> 8) & 0xff;
    tag[2] = (bits >> 16) & 0xff;
    if (key) {
      tag[3] = 0x9d;
      tag[4] = 0x01;
      tag[5] = 0x2a;
      tag.writeUInt16LE(this.layer.width, 6);
      tag.writeUInt16LE(this.layer.height, 8);
    }
    return tag;
  }
}

export interface AudioShape {
  ssrc: number;
  payloadType: number;
  /** Header extension id of urn:ietf:params:rtp-hdrext:ssrc-audio-level. */
  audioLevelId: number;
}

const OPUS_FRAME_MS = 20;

/** Opus speech at about 32 kbit/s in 20 ms packets, with the audio level the speaker detection reads. */
/** With DTX, an open microphone in silence sends a comfort-noise packet every 400 ms. */
const DTX_INTERVAL_FRAMES = 20;

export class OpusSource extends PacedSource {
  private frame = 0;

  constructor(
    private readonly shape: AudioShape,
    send: Send,
    /** Silent: an open microphone nobody speaks into, as Opus DTX sends it. */
    private readonly silent = false,
  ) {
    super(send, OPUS_FRAME_MS, 48_000);
  }

  protected sendFrame(timestamp: number): void {
    this.frame += 1;
    if (this.silent && this.frame % DTX_INTERVAL_FRAMES !== 0) return;
    const extension = Buffer.alloc(8);
    extension.writeUInt16BE(0xbede, 0);
    extension.writeUInt16BE(1, 2);
    extension[4] = this.shape.audioLevelId << 4;
    // Voice activity set, level between -20 and -50 dBov, as speech wanders.
    extension[5] = 0x80 | (20 + Math.floor(Math.random() * 30));
    this.send(
      Buffer.concat([
        rtpHeader({
          payloadType: this.shape.payloadType,
          marker: false,
          seq: this.seq++,
          timestamp,
          ssrc: this.shape.ssrc,
          extension,
        }),
        filler(this.silent ? 3 : 70 + Math.floor(Math.random() * 30)),
      ]),
    );
  }
}

/** The media SSRCs that RTCP PLI or FIR packets (RFC 4585, RFC 5104) ask keyframes of. */
export function keyFrameRequests(rtcp: Buffer): number[] {
  const ssrcs: number[] = [];
  let offset = 0;
  while (offset + 4 <= rtcp.length) {
    const format = rtcp[offset]! & 0x1f;
    const packetType = rtcp[offset + 1]!;
    const length = (rtcp.readUInt16BE(offset + 2) + 1) * 4;
    if (packetType === 206 && format === 1 && offset + 12 <= rtcp.length) {
      ssrcs.push(rtcp.readUInt32BE(offset + 8));
    } else if (packetType === 206 && format === 4 && offset + 20 <= rtcp.length) {
      ssrcs.push(rtcp.readUInt32BE(offset + 12));
    }
    offset += length;
  }
  return ssrcs;
}
