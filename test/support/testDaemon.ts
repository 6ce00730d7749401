import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * A server program a test started (HAProxy, coturn): its output kept for a
 * failing test's message, ready once its port answers, stopped with SIGTERM
 * (SIGKILL if it lingers), its working folder removed.
 */
export class TestDaemon {
  private output = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** Starts `command` and resolves once it accepts connections on `host:port`. */
  static async start(
    command: string,
    args: string[],
    options: { dir: string; host: string; port: number; env?: NodeJS.ProcessEnv; what: string },
  ): Promise<TestDaemon> {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const daemon = new TestDaemon(child, options.dir);
    const deadline = Date.now() + 10_000;
    while (!(await listening(options.host, options.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await daemon.stop();
        throw new Error(`${options.what} did not start:\n${daemon.log.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return daemon;
  }

  /** What it printed, newest last. */
  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
      await this.exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
