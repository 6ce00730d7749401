import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ProtocolError,
  RequestName,
  RequestPayload,
  RequestResults,
  ServerEventName,
  ServerEvents,
} from '@protocol';

/** A request the server refused: carries its typed error. */
export class RequestError extends Error {
  constructor(readonly error: ProtocolError) {
    super(error.message);
    this.name = 'RequestError';
  }

  get code(): string {
    return this.error.code;
  }
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** The connection a store holds while the page has one; once it left, a late click is refused here. */
export function requireConnection(client: SignalingClient | undefined): SignalingClient {
  if (!client) throw new Error('not connected');
  return client;
}

type Listener<E extends ServerEventName> = (payload: ServerEvents[E]) => void;

const REQUEST_TIMEOUT_MS = 15_000;

/** Refusals that mean "not here, not now": the page connects again, where the server says. */
const RETRY_CODES = new Set(['ROOM_ELSEWHERE', 'ROOM_MOVING', 'DATABASE_UNAVAILABLE']);

/** How long the server asked us to wait (a node's hint in ms, a busy server's in seconds), or 2 s. */
function retryDelayMs(details: { retryAfterMs?: number; retryAfterSeconds?: number } | undefined): number {
  if (details?.retryAfterMs !== undefined) return details.retryAfterMs;
  if (details?.retryAfterSeconds !== undefined) return details.retryAfterSeconds * 1000;
  return 2_000;
}

type Refusal = Error & {
  data?: {
    code?: string;
    status?: number;
    details?: { node?: string; retryAfterMs?: number; retryAfterSeconds?: number };
  };
};

/**
 * The classroom page's side of the signalling protocol: typed requests with
 * acknowledgements, typed server events, and the socket's own lifecycle.
 * socket.io reconnects by itself after a lost connection, and this client
 * also after a server restart (the server says so before it goes); every
 * reconnection is a new socket, so `onReconnected` listeners join again,
 * continuing the participant they were.
 *
 * With several Aula nodes behind a load balancer, every connection names its
 * classroom (`?classroom=`) so the balancer sends all of a classroom's pages
 * to one node; a node that does not serve the classroom refuses the
 * connection and names the one that does, which the page then asks for with
 * `?node=` (the balancer's routing hint), as it does when a draining node
 * hands the classroom over.
 */
export class SignalingClient {
  private readonly socket: Socket;
  private state: ConnectionState = 'connecting';
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private everConnected = false;
  /** The server said it is restarting: its disconnect is not a goodbye. */
  private serverRestarting = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: string, token: string, classroomId?: string) {
    this.socket = io(url, {
      auth: { token },
      query: classroomId ? { classroom: classroomId } : {},
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      // Back within two seconds of the network returning, however long it was gone.
      reconnectionDelayMax: 2_000,
    });
    this.socket.on('connect', () => {
      const reconnected = this.everConnected;
      this.everConnected = true;
      this.setState('connected');
      if (reconnected) for (const listener of this.reconnectListeners) listener();
    });
    this.socket.on('server:restarting', ({ node }) => {
      this.serverRestarting = true;
      this.routeTo(node);
    });
    this.socket.on('connect_error', (error: Refusal) => {
      const code = error.data?.code;
      if (!code || !RETRY_CODES.has(code)) return;
      // Refused by the server, so socket.io does not retry by itself.
      this.routeTo(error.data?.details?.node);
      this.setState(this.everConnected ? 'reconnecting' : 'connecting');
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        if (this.state !== 'closed') this.socket.connect();
      }, retryDelayMs(error.data?.details));
    });
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && this.serverRestarting) {
        // A deployment: come back as soon as the server is up again.
        this.serverRestarting = false;
        this.setState('reconnecting');
        this.socket.connect();
        return;
      }
      // The server closed us on purpose (removed, denied, ended): do not come back.
      this.setState(
        reason === 'io server disconnect' || reason === 'io client disconnect' ? 'closed' : 'reconnecting',
      );
    });
  }

  /** Resolves once connected; rejects with the server's reason when the token is refused. */
  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConnect = () => {
        this.socket.off('connect_error', onError);
        resolve();
      };
      const onError = (error: Refusal) => {
        // Middleware refusals (bad or expired token) are final; transport errors and redirects are retried.
        if (!error.data || RETRY_CODES.has(error.data.code ?? '')) return;
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
        this.close();
        reject(
          new RequestError({
            status: error.data.status ?? 401,
            code: error.data.code ?? 'UNAUTHORIZED',
            message: error.message,
          }),
        );
      };
      this.socket.once('connect', onConnect);
      this.socket.on('connect_error', onError);
    });
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** The node the load balancer is asked for, once a server named one. */
  get node(): string | undefined {
    const node = this.socket.io.opts.query?.node;
    return typeof node === 'string' ? node : undefined;
  }

  async request<N extends RequestName>(name: N, payload?: RequestPayload<N>): Promise<RequestResults[N]> {
    const ack = (await this.socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(name, payload ?? {})) as Ack<
      RequestResults[N]
    >;
    if (!ack.ok) throw new RequestError(ack.error);
    return ack.data;
  }

  on<E extends ServerEventName>(event: E, listener: Listener<E>): () => void {
    this.socket.on(event as string, listener as (payload: unknown) => void);
    return () => this.socket.off(event as string, listener as (payload: unknown) => void);
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onReconnected(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** A refreshed join token is used for the next reconnection. */
  setToken(token: string): void {
    this.socket.auth = { token };
  }

  close(): void {
    clearTimeout(this.retryTimer);
    this.socket.close();
    this.setState('closed');
  }

  /** Asks the load balancer for `node` from the next connection on (or for whichever serves the classroom). */
  private routeTo(node: string | undefined): void {
    const query = { ...this.socket.io.opts.query };
    if (node) query.node = node;
    else delete query.node;
    this.socket.io.opts.query = query;
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
