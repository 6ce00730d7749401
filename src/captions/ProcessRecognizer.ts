import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../shared/logger.js';
import {
  PCM_BYTES_PER_SECOND,
  type RecognizedText,
  type Recognizer,
  type RecognizerEvents,
} from './speechEngine.js';

/** Audio waiting for the engine beyond this is dropped: two seconds behind is no longer live. */
const MAX_BACKLOG_BYTES = 2 * PCM_BYTES_PER_SECOND;
/** How long a closed engine may take to say its last words before it is killed. */
const CLOSE_GRACE_MS = 2_000;

export interface RecognizerCommand {
  command: string;
  args: string[];
  /** One line of the engine's output as text, or undefined for a line that carries none. */
  parse(line: string): RecognizedText | undefined;
}

/**
 * A speech engine run as a child process: PCM goes to its standard input,
 * one line of output per recognition comes back. The engine runs with what
 * it was given; it has no network of its own to fetch anything from.
 */
export class ProcessRecognizer extends EventEmitter<RecognizerEvents> implements Recognizer {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private closing = false;
  private exited = false;
  private dropped = 0;

  constructor(
    spec: RecognizerCommand,
    private readonly logger: Logger,
  ) {
    super();
    this.child = spawn(spec.command, spec.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = createInterface({ input: this.child.stdout });
    lines.on('line', (line) => {
      const recognized = spec.parse(line);
      if (recognized && recognized.text.trim()) this.emit('text', recognized);
    });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    this.child.stdin.on('error', () => undefined); // An engine that exited; `exit` says so.
    this.child.on('error', (error) => {
      this.logger.warn({ err: error, engine: spec.command }, 'ProcessRecognizer() | engine did not start');
      if (this.child.pid === undefined) this.finish();
    });
    this.child.on('exit', (code, signal) => {
      if (!this.closing) {
        this.logger.warn(
          { engine: spec.command, code, signal, stderr: stderr.slice(-500) },
          'ProcessRecognizer() | engine exited',
        );
      }
      this.finish();
    });
  }

  private finish(): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('closed');
  }

  write(pcm: Buffer): void {
    if (this.closing || this.exited || !this.child.stdin.writable) return;
    if (this.child.stdin.writableLength > MAX_BACKLOG_BYTES) {
      this.dropped += pcm.length;
      return;
    }
    this.child.stdin.write(pcm);
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (this.dropped > 0) {
      this.logger.info(
        { droppedBytes: this.dropped },
        'close() | audio dropped while the engine fell behind',
      );
    }
    if (this.exited) return;
    this.child.stdin.end();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_GRACE_MS);
    kill.unref();
    this.child.once('exit', () => clearTimeout(kill));
  }
}
