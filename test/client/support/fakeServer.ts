// The socket.io connection, faked at its module: stores and their real
// SignalingClient run unchanged, and the test plays the server. Use with
// vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule).
type Handler = (payload: unknown) => void;
const handlers = new Map<string, Set<Handler>>();
const replies = new Map<string, unknown>();
/** Requests the page sent, in order, with their payloads. */
const requests: Array<{ name: string; payload: unknown }> = [];
/** Requests the server refuses, with the typed error it answers. */
const refusals = new Map<string, { status: number; code: string; message: string }>();

type Ack =
  { ok: true; data: unknown } | { ok: false; error: { status: number; code: string; message: string } };
/** Part of the server played by real code (a document hub): the requests and messages it takes. */
export interface Relay {
  takes(name: string): boolean;
  answer(name: string, payload: never): Promise<Ack>;
  receive(name: string, payload: never): void;
}
let relay: Relay | undefined;

const socket = {
  connected: false,
  auth: {},
  on(event: string, handler: Handler) {
    if (!handlers.has(event)) handlers.set(event, new Set());
    handlers.get(event)!.add(handler);
    return socket;
  },
  once(event: string, handler: Handler) {
    const once = (payload: unknown) => {
      socket.off(event, once);
      handler(payload);
    };
    return socket.on(event, once);
  },
  off(event: string, handler: Handler) {
    handlers.get(event)?.delete(handler);
    return socket;
  },
  /** A message without acknowledgement: recorded with the requests, nothing answered. */
  emit(name: string, payload: unknown) {
    requests.push({ name, payload });
    if (relay?.takes(name)) relay.receive(name, payload as never);
    return socket;
  },
  timeout: () => ({
    emitWithAck: async (name: string, payload: unknown) => {
      requests.push({ name, payload });
      if (relay?.takes(name)) return relay.answer(name, payload as never);
      if (refusals.has(name)) return { ok: false, error: refusals.get(name) };
      return replies.has(name)
        ? { ok: true, data: replies.get(name) }
        : { ok: false, error: { status: 501, code: 'NOT_FAKED', message: name } };
    },
  }),
  close() {
    socket.connected = false;
  },
};

export const server = {
  socket,
  replies,
  requests,
  refusals,
  /** The payloads the page sent with one request, in order. */
  sent(name: string): unknown[] {
    return requests.filter((request) => request.name === name).map((request) => request.payload);
  },
  /** Hands the requests and messages `to` takes to it, until reset. */
  relay(to: Relay) {
    relay = to;
  },
  emit(event: string, payload?: unknown) {
    if (event === 'connect') socket.connected = true;
    for (const handler of [...(handlers.get(event) ?? [])]) handler(payload);
  },
  reset() {
    handlers.clear();
    replies.clear();
    requests.length = 0;
    refusals.clear();
    relay = undefined;
    socket.connected = false;
  },
};

export const socketModule = { io: () => socket };
