import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Classroom } from '../../../src/classroom/ClassroomService.js';
import type { ClassroomSettingsUpdate } from '../../../src/protocol/index.js';
import type { AgentCommand, AgentReply } from './aulaAgent.js';
import { pipingServer } from './pipe.js';
import { TestNetwork } from './TestNetwork.js';

type Who = { id: string; role: 'teacher' | 'student' | 'guest'; name?: string };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * Aula running inside the network's server namespace (a child process), on
 * its default media addresses: loopback and the namespace's one interface.
 * Its database is the test run's, reached through a Unix socket.
 */
export class NamespacedAula {
  private nextId = 0;
  private readonly waiting = new Map<number, (reply: AgentReply) => void>();
  private exited: Error | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly database: net.Server,
    private readonly network: TestNetwork,
    /** Aula's address inside the server namespace. */
    readonly url: string,
  ) {
    child.on('message', (reply: AgentReply) => {
      if ('id' in reply) {
        this.waiting.get(reply.id)?.(reply);
        this.waiting.delete(reply.id);
      }
    });
    child.on('exit', (code) => {
      this.exited = new Error(`Aula in the namespace exited with ${String(code)}`);
      for (const resolve of this.waiting.values()) resolve({ id: -1, ok: false, error: this.exited.message });
      this.waiting.clear();
    });
  }

  static async start(
    network: TestNetwork,
    options: { mongoUri: string; env?: Record<string, string> },
  ): Promise<NamespacedAula> {
    const target = new URL(options.mongoUri);
    const socketPath = network.socketPath('database');
    const database = pipingServer(() =>
      net.connect({ host: target.hostname, port: Number(target.port || 27017) }),
    );
    await new Promise<void>((resolve, reject) =>
      database.once('error', reject).listen(socketPath, () => resolve()),
    );
    // The MongoDB driver takes a Unix socket as a percent-encoded host ending in .sock.
    const mongoUri = `mongodb://${encodeURIComponent(socketPath)}${target.pathname}${target.search}`;
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        network.server,
        process.execPath,
        '--import',
        'tsx',
        path.resolve('test/support/network/aulaAgent.ts'),
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: {
          ...process.env,
          AULA_AGENT_ENV: JSON.stringify({
            MONGODB_URI: mongoUri,
            // Empty: Aula's default media addresses, as `npm start` has them.
            AULA_RTC_LISTEN_IP: '',
            ...options.env,
          }),
        },
      },
    );
    const ready = await new Promise<AgentReply>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`Aula in the namespace exited with ${String(code)}`)));
    }).catch((error: unknown) => {
      database.close();
      throw error;
    });
    if (!('url' in ready)) throw new Error('Aula in the namespace did not say where it listens');
    return new NamespacedAula(child, database, network, ready.url);
  }

  /** Aula's address as seen from the client namespace. */
  get clientUrl(): string {
    const url = new URL(this.url);
    url.hostname = TestNetwork.serverIp;
    return url.origin;
  }

  async createClassroom(settings: { seatCap?: number; title?: string } & ClassroomSettingsUpdate = {}) {
    return { _id: (await this.send({ type: 'classroom', settings })) as Classroom['_id'] };
  }

  async tokenFor(classroomId: string, who: Who): Promise<string> {
    return (await this.send({ type: 'token', classroomId, who })) as string;
  }

  /** A Unix socket through which a port on the server namespace's loopback is reached. */
  async forward(port: number): Promise<string> {
    const socketPath = this.network.socketPath(`port-${port}`);
    await this.send({ type: 'forward', port, socketPath });
    return socketPath;
  }

  async stop(): Promise<void> {
    if (!this.exited && this.child.connected) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await this.send({ type: 'stop' }).catch(() => undefined);
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    }
    this.database.close();
    fs.rmSync(this.network.socketPath('database'), { force: true });
  }

  private send(command: WithoutId<AgentCommand>): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) => {
        if ('ok' in reply && reply.ok) resolve(reply.value);
        else reject(new Error('error' in reply ? reply.error : 'no reply'));
      });
      this.child.send({ ...command, id });
    });
  }
}
