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
  timeout: () => ({
    emitWithAck: async (name: string, payload: unknown) => {
      requests.push({ name, payload });
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
  emit(event: string, payload?: unknown) {
    if (event === 'connect') socket.connected = true;
    for (const handler of [...(handlers.get(event) ?? [])]) handler(payload);
  },
  reset() {
    handlers.clear();
    replies.clear();
    requests.length = 0;
    refusals.clear();
    socket.connected = false;
  },
};

export const socketModule = { io: () => socket };
