import type { ParticipantChannel } from '../../src/classroom/live/Participant.js';
import type { ServerEventName, ServerEvents } from '../../src/protocol/index.js';
import { FakeTopics } from './fakeTopics.js';

/** Every recording channel's topics, as the socket.io adapter keeps rooms. */
const channelTopics = new FakeTopics<RecordingChannel>();

/** What the page of one participant received, as its socket would. */
export class RecordingChannel implements ParticipantChannel {
  readonly received: Array<{ event: ServerEventName; payload: unknown }> = [];
  disconnected: string | undefined;

  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void {
    this.received.push({ event, payload });
  }

  disconnect(reason: string): void {
    this.disconnected = reason;
  }

  join(topic: string): void {
    channelTopics.join(topic, this);
  }

  leave(topic: string): void {
    channelTopics.leave(topic, this);
  }

  publish<E extends ServerEventName>(
    topic: string,
    event: E,
    payload: ServerEvents[E],
    exceptSelf: boolean,
  ): void {
    channelTopics.publish(topic, event, payload, exceptSelf ? this : undefined);
  }

  /** Every payload of one event, in order. */
  all<E extends ServerEventName>(event: E): Array<ServerEvents[E]> {
    return this.received.filter((r) => r.event === event).map((r) => r.payload as ServerEvents[E]);
  }

  last<E extends ServerEventName>(event: E): ServerEvents[E] | undefined {
    return this.all(event).at(-1);
  }
}
