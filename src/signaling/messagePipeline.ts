import type { Socket } from 'socket.io';
import {
  MAX_MESSAGE_BYTES,
  documentIdSchema,
  messageSchemas,
  type CollabRefusal,
  type MessageName,
} from '../protocol/index.js';
import { TooManyRequestsError, isOperational, toErrorPayload } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { MessageContext, MessageRegistry } from './handlers/index.js';
import { checkedPayload, wrongState, type SocketSession } from './pipelineChecks.js';
import type { SocketWatch } from './SocketWatch.js';

interface AnyMessageSpec {
  states: readonly string[];
  run(context: MessageContext<MessageName>): Promise<void> | void;
}

/**
 * Every message of a socket (sent without acknowledgement) runs through
 * here, in the order requests do: the socket's rate limit, size and schema,
 * the participant's state, then the handler. Nothing is answered when it
 * goes through; a refusal goes back to the page as a `collab:refused` event
 * naming the document (when the payload named one) and the typed error, and
 * is logged at info once per interval. A message never fails the process.
 */
export function registerMessages(
  socket: Socket,
  session: SocketSession,
  registry: MessageRegistry,
  watch: SocketWatch,
  logger: Logger,
): void {
  async function handle(name: MessageName, payload: unknown): Promise<void> {
    const data = checkedPayload(`"${name}" message`, messageSchemas[name], payload, MAX_MESSAGE_BYTES);
    await session.ready;
    const participant = session.participant!;
    // The registry is typed per message; here one message's spec meets its own parsed payload.
    const spec = registry[name] as unknown as AnyMessageSpec;
    if (!spec.states.includes(participant.state)) throw wrongState(participant.state, spec.states as never);
    await spec.run({ classroom: session.classroom!, participant, payload: data as never });
  }

  function refuse(name: MessageName, payload: unknown, error: unknown): void {
    const refusal = toErrorPayload(error);
    if (isOperational(error)) {
      watch.note(
        `refused:${refusal.code}`,
        { message: name, code: refusal.code },
        `message() | refused: ${refusal.message}`,
      );
    } else {
      logger.error({ socketId: socket.id, message: name, err: error }, 'message() | failed unexpectedly');
    }
    if (socket.disconnected) return;
    const doc = documentIdSchema.safeParse((payload as { doc?: unknown } | undefined)?.doc);
    const event: CollabRefusal = { doc: doc.success ? doc.data : null, message: name, error: refusal };
    socket.emit('collab:refused', event);
  }

  for (const name of Object.keys(messageSchemas) as MessageName[]) {
    socket.on(name, async (...args: unknown[]) => {
      const limited = await watch.count();
      // A page that still asks for an acknowledgement gets none: the payload comes first either way.
      const payload = args[0];
      if (socket.disconnected) return;
      try {
        if (limited !== undefined) throw new TooManyRequestsError(limited, 'Too many requests; slow down');
        await handle(name, payload);
      } catch (error) {
        refuse(name, payload, error);
      }
    });
  }
}
