import { spawn } from 'node:child_process';
import type { Logger } from '../shared/logger.js';
import { ServiceUnavailableError } from '../shared/errors.js';

const CHECK_TIMEOUT_MS = 10_000;

/**
 * Whether the recorder can run here: the configured ffmpeg starts and says its
 * version. A missing or broken one is the operator's to fix; the teacher who
 * starts a recording is told so (RECORDER_UNAVAILABLE) and the lesson goes on.
 */
export async function checkRecorder(ffmpegPath: string, logger: Logger): Promise<void> {
  const problem = await new Promise<string | null>((resolve) => {
    const ffmpeg = spawn(ffmpegPath, ['-hide_banner', '-version'], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      ffmpeg.kill('SIGKILL');
      resolve('timeout');
    }, CHECK_TIMEOUT_MS);
    ffmpeg.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? error.message);
    });
    ffmpeg.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : `exit ${code}`);
    });
  });
  if (problem === null) return;
  logger.warn({ ffmpegPath, problem }, 'checkRecorder() | ffmpeg cannot run, recording refused');
  throw new ServiceUnavailableError(
    'The server cannot record: its ffmpeg is missing',
    'RECORDER_UNAVAILABLE',
  );
}
