import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

type Message = { type: string };
type ErrorReply = { type: 'error'; message: string };

/**
 * A benchmark's helper process, so what it does is measured apart from the
 * benchmark itself: commands go over IPC, replies are awaited by type, and
 * the child reports failures as `{ type: 'error' }`.
 */
export class BenchChild<Command extends Message, Reply extends Message> {
  private readonly waiting: Array<{ type: string; resolve: (reply: Reply | ErrorReply) => void }> = [];
  private failure: Error | undefined;

  private constructor(
    readonly child: ChildProcess,
    private readonly label: string,
  ) {
    child.on('message', (message: Reply | ErrorReply) => {
      if (message.type === 'error') {
        this.failure = new Error(`${label}: ${(message as ErrorReply).message}`);
        for (const waiter of this.waiting.splice(0)) waiter.resolve(message);
        return;
      }
      const index = this.waiting.findIndex((waiter) => waiter.type === message.type);
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(message);
    });
    child.on('exit', (code) => {
      this.failure ??= new Error(`${label} exited with ${String(code)}`);
      for (const waiter of this.waiting.splice(0)) waiter.resolve({ type: 'error', message: 'exited' });
    });
  }

  /** Forks a TypeScript entry under bench/ and waits for its `{ type: 'ready' }`. */
  static async start<C extends Message, R extends Message>(
    entry: string,
    options: { label: string; env?: Record<string, string>; nodeOptions?: string[] },
  ): Promise<{ child: BenchChild<C, R>; ready: Extract<R, { type: 'ready' }> }> {
    const forked = fork(path.resolve('bench', entry), {
      execArgv: ['--import', 'tsx', ...(options.nodeOptions ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child = new BenchChild<C, R>(forked, options.label);
    const ready = (await child.await('ready' as R['type'])) as unknown as Extract<R, { type: 'ready' }>;
    return { child, ready };
  }

  get pid(): number {
    return this.child.pid!;
  }

  async await<T extends Reply['type']>(type: T, command?: Command): Promise<Extract<Reply, { type: T }>> {
    const reply = new Promise<Reply | ErrorReply>((resolve) => this.waiting.push({ type, resolve }));
    if (command) this.child.send(command);
    const message = await reply;
    if (this.failure) throw this.failure;
    return message as Extract<Reply, { type: T }>;
  }

  /** Sends the child its stop command and kills it if it has not gone within 5 s. */
  stop(command: Command): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send(command);
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    return exited.finally(() => clearTimeout(kill));
  }
}

/**
 * The child's side: runs each command from the parent and reports a failure
 * as `{ type: 'error' }` instead of dying, then says it is ready. Returns the
 * function that sends replies.
 */
export function serveParent<Command extends Message, Reply extends Message>(
  handle: (command: Command) => Promise<void> | void,
  ready: Extract<Reply, { type: 'ready' }>,
): (reply: Reply) => void {
  const reply = (message: Reply | ErrorReply) => process.send?.(message);
  process.on('message', (command: Command) => {
    Promise.resolve()
      .then(() => handle(command))
      .catch((error: unknown) =>
        reply({
          type: 'error',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      );
  });
  reply(ready);
  return reply;
}
