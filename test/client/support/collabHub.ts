import type { CollabPeer, DocumentRules } from '../../../src/collab/CollabDocument.js';
import { DocumentHub } from '../../../src/collab/DocumentHub.js';
import type { DocumentAccess } from '../../../src/protocol/index.js';
import { AppError } from '../../../src/shared/errors.js';
import { createLogger } from '../../../src/shared/logger.js';
import { FakeTopics } from '../../support/fakeTopics.js';
import { MemoryDocumentStore } from '../../support/memoryDocumentStore.js';
import type { CollabChannel } from '@/collab/CollabProvider';
import { RequestError } from '@/signaling/SignalingClient';

// Pages against the server's own document hub, joined by a channel that does
// what the socket does: requests with typed refusals, messages without
// acknowledgement whose refusal comes back as an event, events to the page.

const logger = createLogger({ level: 'silent' });

type Ack =
  { ok: true; data: unknown } | { ok: false; error: { status: number; code: string; message: string } };

/** One page's connection as the hub sees it (a peer), and as the page sees it (a channel). */
export class HubPage implements CollabPeer {
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  /** How many of the next changes this page sends are lost on the way. */
  lose = 0;
  /** How many of the next changes this page sends are refused by the socket's rate limit. */
  limited = 0;
  constructor(
    readonly id: string,
    public access: DocumentAccess,
    private readonly server: CollabServer,
    /** Where the server's events to this page go; by default to the listeners of `channel`. */
    private readonly deliver?: (event: string, payload: unknown) => void,
    readonly userKey = `user:${id}`,
  ) {}

  emit(event: string, payload: unknown) {
    // As over the wire: binary arrives in a copy, a moment later.
    const copy = structuredClone(payload);
    setTimeout(() => {
      if (this.deliver) this.deliver(event, copy);
      else this.listeners.get(event)?.forEach((listener) => listener(copy as never));
    }, 0);
  }

  subscribe(topic: string) {
    this.server.topics.join(topic, this);
  }

  unsubscribe(topic: string) {
    this.server.topics.leave(topic, this);
  }

  publish(topic: string, event: string, payload: unknown, exceptSelf: boolean) {
    this.server.topics.publish(topic, event, payload, exceptSelf ? this : undefined);
  }

  /** A request of the page, answered as the socket's acknowledgement would be. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fake for two payload shapes
  async answer(name: string, payload: Record<string, any>): Promise<Ack> {
    const hub = this.server.current();
    try {
      if (name === 'collab:open')
        return { ok: true, data: await hub.open(this, payload.doc, payload.clientId, payload.message) };
      if (name === 'collab:close') await hub.close(this, payload.doc);
      return { ok: true, data: { ok: true } };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { ok: false, error: { status: error.status, code: error.code, message: error.message } };
    }
  }

  /** A message of the page, without acknowledgement: a refusal comes back as `collab:refused`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fake for two payload shapes
  receive(name: string, payload: Record<string, any>): void {
    if (name === 'collab:sync' && this.lose > 0) {
      this.lose -= 1;
      return;
    }
    if (name === 'collab:sync' && this.limited > 0) {
      // As the socket's rate limit refuses it, before the hub sees it.
      this.limited -= 1;
      const error = {
        status: 429,
        code: 'RATE_LIMITED',
        message: 'slow down',
        details: { retryAfterSeconds: 0.2 },
      };
      this.emit('collab:refused', { doc: payload.doc, message: name, error });
      return;
    }
    const hub = this.server.current();
    const handled =
      name === 'collab:sync'
        ? hub.sync(this, payload.doc, payload.message)
        : hub.awareness(this, payload.doc, payload.update);
    handled.catch((error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      const { status, code, message, details } = error;
      this.emit('collab:refused', {
        doc: payload.doc,
        message: name,
        error: { status, code, message, details },
      });
    });
  }

  /** Takes the collab requests and messages of a fake socket (see fakeServer's relay). */
  takes(name: string): boolean {
    return name.startsWith('collab:');
  }

  readonly channel: CollabChannel = {
    on: ((event: string, listener: (payload: never) => void) => {
      if (!this.listeners.has(event)) this.listeners.set(event, new Set());
      this.listeners.get(event)!.add(listener);
      return () => this.listeners.get(event)!.delete(listener);
    }) as CollabChannel['on'],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fake for two payload shapes
    request: (async (name: string, payload: Record<string, any>) => {
      const ack = await this.answer(name, payload);
      if (!ack.ok) throw new RequestError(ack.error);
      return ack.data;
    }) as CollabChannel['request'],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fake for two payload shapes
    send: ((name: string, payload: Record<string, any>) =>
      this.receive(name, payload)) as CollabChannel['send'],
  };
}

/** The server's document hub (notes and boards under the same rules), with a restart that keeps the store. */
export class CollabServer {
  readonly topics = new FakeTopics<HubPage>();
  private hub: DocumentHub<HubPage>;
  private readonly rules: DocumentRules<HubPage>;

  constructor(
    readonly store = new MemoryDocumentStore(),
    rules: Partial<DocumentRules<HubPage>> = {},
  ) {
    this.rules = {
      root: (name) => name.startsWith('page/'),
      maxBytes: 100_000,
      access: (page) => page.access,
      ...rules,
    };
    this.hub = this.start();
  }

  current(): DocumentHub<HubPage> {
    return this.hub;
  }

  restart(): void {
    this.hub.dispose();
    this.hub = this.start();
  }

  private start(): DocumentHub<HubPage> {
    return new DocumentHub<HubPage>({
      classroomId: 'c',
      kinds: { board: this.rules, notes: this.rules },
      store: this.store,
      logger,
      writes: { enqueue: (_l, write) => void write() },
    });
  }
}
