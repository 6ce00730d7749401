import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbedFile {
  codecs: string[];
  durationSeconds: number;
}

/** What ffprobe reads in a media file: its streams' codecs and its duration. */
export async function ffprobe(file: string): Promise<ProbedFile> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file],
  ]);
  const parsed = JSON.parse(stdout) as {
    streams: Array<{ codec_name: string }>;
    format: { duration?: string };
  };
  return {
    codecs: parsed.streams.map((stream) => stream.codec_name),
    durationSeconds: Number(parsed.format.duration ?? 0),
  };
}

/**
 * How far a file's media reaches, from its packets' timestamps: a file whose
 * writer stopped short (a full disk) has no duration in its header but plays
 * up to its last packet.
 */
export async function mediaSeconds(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file],
  ]);
  const times = stdout
    .split('\n')
    .map(Number)
    .filter((time) => Number.isFinite(time) && time > 0);
  return times.length ? Math.max(...times) - Math.min(...times) : 0;
}
