import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The sentence the caption tests speak: PocketSphinx's small English model
 * recognises espeak-ng's Klatt voice saying it word for word, also after
 * Opus at 48 kHz and back.
 */
export const SPOKEN_SENTENCE = 'please open your books';

/** Whether this machine has what the caption tests speak and hear with (`aula.mjs prepare media-tools`). */
export function speechToolsInstalled(): boolean {
  return ['/usr/bin/espeak-ng', '/usr/bin/ffmpeg', '/usr/bin/pocketsphinx_continuous'].every((tool) =>
    fs.existsSync(tool),
  );
}

/**
 * Speaks a sentence into a WAV file (48 kHz mono, as a fake microphone
 * plays it): a second of silence, the sentence, then `silenceAfter` seconds
 * of silence so the recogniser hears the utterance end. A page playing it as
 * its microphone loops it.
 */
export async function speakToWav(text: string, silenceAfter = 3): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-speech-'));
  const spoken = path.join(dir, 'spoken.wav');
  const wav = path.join(dir, 'speech.wav');
  await run('espeak-ng', ['-v', 'en-us+klatt', '-s', '150', '-w', spoken, text]);
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-i', spoken],
    ...['-af', `adelay=1000,apad=pad_dur=${silenceAfter}`, '-ar', '48000', '-ac', '1', wav],
  ]);
  return wav;
}

/**
 * Sends a WAV file as Opus RTP in real time (ffmpeg -re), looping it, to a
 * plain transport on 127.0.0.1 without RTCP multiplexing (ffmpeg sends RTP
 * and RTCP from two sockets; comedia learns each from its own port).
 */
export function sendOpusRtp(
  wav: string,
  ports: { rtp: number; rtcp: number },
  options: { payloadType: number; ssrc: number },
): ChildProcess {
  return spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', wav],
      ...['-map', '0:a', '-c:a', 'libopus', '-ac', '2', '-ar', '48000', '-b:a', '48k'],
      ...['-payload_type', String(options.payloadType), '-ssrc', String(options.ssrc)],
      ...['-f', 'rtp', `rtp://127.0.0.1:${ports.rtp}?rtcpport=${ports.rtcp}`],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
