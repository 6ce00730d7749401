import type { ChildProcess } from 'node:child_process';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpeechCaptioning } from '../../src/captions/createSpeechCaptioning.js';
import type { RecognizedText } from '../../src/captions/speechEngine.js';
import { mediaCodecs } from '../../src/media/mediaCodecs.js';
import { createLogger } from '../../src/shared/logger.js';
import { SPOKEN_SENTENCE, sendOpusRtp, speakToWav, speechToolsInstalled } from '../support/speech.js';
import { waitFor } from '../support/testAula.js';

const PAYLOAD_TYPE = 101;
const SSRC = 22_334_455;

// The pipeline under automatic captions, without browsers: an Opus producer on a real mediasoup
// router (fed by ffmpeg as a plain RTP sender), taken out by a PlainTransport into ffmpeg, and
// recognised by Debian's PocketSphinx.
describe.skipIf(!speechToolsInstalled())('speech captioning', () => {
  let worker: types.Worker;
  let router: types.Router;
  let producer: types.Producer;
  let sender: ChildProcess;

  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'error' });
    router = await worker.createRouter({ mediaCodecs });
    const inbound = await router.createPlainTransport({
      listenIp: { ip: '127.0.0.1' },
      rtcpMux: false,
      comedia: true,
    });
    producer = await inbound.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: PAYLOAD_TYPE }],
        encodings: [{ ssrc: SSRC }],
      },
    });
    sender = sendOpusRtp(
      await speakToWav(SPOKEN_SENTENCE),
      { rtp: inbound.tuple.localPort, rtcp: inbound.rtcpTuple!.localPort },
      {
        payloadType: PAYLOAD_TYPE,
        ssrc: SSRC,
      },
    );
  });

  afterAll(() => {
    sender?.kill('SIGKILL');
    worker?.close();
  });

  it("recognises a producer's spoken words through ffmpeg and PocketSphinx", async () => {
    const captioning = createSpeechCaptioning(
      { engine: 'pocketsphinx', language: 'en', ffmpegPath: 'ffmpeg', python: 'python3' },
      createLogger({ level: 'silent' }),
    )!;
    const stream = await captioning.open(router, producer.id);
    const heard: RecognizedText[] = [];
    stream.on('text', (text) => heard.push(text));
    try {
      await waitFor(
        () =>
          SPOKEN_SENTENCE.split(' ').every((word) =>
            heard.some(({ text }) => text.split(' ').includes(word)),
          ),
        { timeoutMs: 30_000, what: `"${SPOKEN_SENTENCE}" recognised (heard: ${JSON.stringify(heard)})` },
      );
      expect(heard.every(({ final }) => final)).toBe(true);
    } finally {
      const closed = new Promise<void>((resolve) => stream.once('closed', () => resolve()));
      stream.close();
      await closed;
    }
  });

  it('closes when the producer closes, and takes nothing more out of the router', async () => {
    const captioning = createSpeechCaptioning(
      { engine: 'pocketsphinx', language: 'en', ffmpegPath: 'ffmpeg', python: 'python3' },
      createLogger({ level: 'silent' }),
    )!;
    const stream = await captioning.open(router, producer.id);
    const closed = new Promise<void>((resolve) => stream.once('closed', () => resolve()));
    producer.close();
    await closed;
    const dump = await router.dump();
    expect(dump.transportIds).toHaveLength(1);
  });
});
