import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ProtocolError,
  RequestName,
  RequestPayload,
  RequestResults,
  ServerEventName,
  ServerEvents,
} from '../../src/protocol/index.js';

/** A node's refusal: the classroom is served by `node`, or is between nodes. */
interface RoomElsewhere {
  node?: string;
  retryAfterMs?: number;
}

export class RequestFailed extends Error {
  constructor(readonly error: ProtocolError) {
    super(`${error.code}: ${error.message}`);
  }
}

/** A signalling client as the classroom page speaks it, for tests without a browser. */
export class ClassroomClient {
  readonly events: Array<{ name: string; payload: unknown }> = [];

  private constructor(readonly socket: Socket) {
    socket.onAny((name: string, payload: unknown) => this.events.push({ name, payload }));
  }

  /**
   * Connects as the page does: naming the classroom, when given, for a load balancer, and
   * following a node's answer that another node serves the classroom (as the page does).
   */
  static async connect(
    url: string,
    token: string,
    options: { classroomId?: string; node?: string } = {},
  ): Promise<ClassroomClient> {
    let node = options.node;
    for (let attempt = 0; ; attempt++) {
      const query = {
        ...(options.classroomId ? { classroom: options.classroomId } : {}),
        ...(node ? { node } : {}),
      };
      const socket = io(url, {
        auth: { token },
        query,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const outcome = await new Promise<ClassroomClient | RoomElsewhere>((resolve, reject) => {
        socket.once('connect', () => resolve(new ClassroomClient(socket)));
        socket.once(
          'connect_error',
          (error: Error & { data?: { code?: string; details?: RoomElsewhere } }) => {
            socket.close();
            if (error.data?.code === 'ROOM_ELSEWHERE' && attempt < 20) resolve(error.data.details ?? {});
            else reject(error);
          },
        );
      });
      if (outcome instanceof ClassroomClient) return outcome;
      node = outcome.node;
      await new Promise((resolve) => setTimeout(resolve, outcome.retryAfterMs ?? 500));
    }
  }

  async request<N extends RequestName>(name: N, payload?: RequestPayload<N>): Promise<RequestResults[N]> {
    const ack = (await this.socket.timeout(20_000).emitWithAck(name, payload ?? {})) as Ack<
      RequestResults[N]
    >;
    if (!ack.ok) throw new RequestFailed(ack.error);
    return ack.data;
  }

  /** Sends anything, for fuzzing: returns the raw acknowledgement. */
  async raw(name: string, ...args: unknown[]): Promise<unknown> {
    return this.socket.timeout(20_000).emitWithAck(name, ...args);
  }

  next<E extends ServerEventName>(
    name: E,
    predicate: (payload: ServerEvents[E]) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<ServerEvents[E]> {
    const seen = this.events.find(
      (event) => event.name === name && predicate(event.payload as ServerEvents[E]),
    );
    if (seen) {
      this.events.splice(this.events.indexOf(seen), 1);
      return Promise.resolve(seen.payload as ServerEvents[E]);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off(name, listener as never);
        reject(new Error(`no "${name}" event within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (payload: ServerEvents[E]) => {
        if (!predicate(payload)) return;
        clearTimeout(timer);
        this.socket.off(name, listener as never);
        const index = this.events.findIndex((event) => event.payload === payload);
        if (index >= 0) this.events.splice(index, 1);
        resolve(payload);
      };
      this.socket.on(name, listener as never);
    });
  }

  disconnected(): Promise<string> {
    if (!this.socket.connected) return Promise.resolve('already');
    return new Promise((resolve) => this.socket.once('disconnect', (reason) => resolve(reason)));
  }

  close(): void {
    this.socket.close();
  }
}

export async function expectFailure(promise: Promise<unknown>): Promise<ProtocolError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RequestFailed) return error.error;
    throw error;
  }
  throw new Error('expected the request to fail');
}
