import type { Server as HttpServer } from 'node:http';
import type { types } from 'mediasoup';
import { Server, type Socket } from 'socket.io';
import type { JoinClaims, JoinTokens } from '../classroom/joinToken.js';
import { Participant, type ParticipantChannel } from '../classroom/live/Participant.js';
import type { Room } from '../classroom/live/Room.js';
import type { RoomRegistry } from '../classroom/live/RoomRegistry.js';
import { TooManyRequestsError, toErrorPayload } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { ServerEventName, ServerEvents } from './protocol.js';
import { registerRequests, type RequestHandlers } from './requestHandler.js';

interface SocketData {
  claims: JoinClaims;
}

export interface SignalingOptions {
  tokens: JoinTokens;
  rooms: RoomRegistry;
  logger: Logger;
  requestsPerSecond?: number;
}

class SocketChannel implements ParticipantChannel {
  constructor(private readonly socket: Socket) {}

  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void {
    this.socket.emit(event, payload);
  }

  disconnect(): void {
    this.socket.disconnect(true);
  }
}

/**
 * socket.io for the classroom page. A connection needs a valid join token
 * (checked again on every reconnection); each socket becomes one participant.
 */
export class SignalingServer {
  private readonly io: Server;

  constructor(
    httpServer: HttpServer,
    private readonly options: SignalingOptions,
  ) {
    this.io = new Server(httpServer, {
      serveClient: false,
      // The hard cap; requests above MAX_REQUEST_BYTES are answered with an error before this bites.
      maxHttpBufferSize: 1_000_000,
      pingInterval: 10_000,
      pingTimeout: 8_000,
    });
    this.io.use((socket, next) => {
      options.tokens.verify(socket.handshake.auth?.token).then(
        (claims) => {
          (socket.data as SocketData).claims = claims;
          next();
        },
        (error: unknown) => {
          const payload = toErrorPayload(error);
          options.logger.info({ code: payload.code }, 'connect() | connection refused');
          const refusal = new Error(payload.message) as Error & { data?: unknown };
          refusal.data = { code: payload.code, status: payload.status };
          next(refusal);
        },
      );
    });
    this.io.on('connection', (socket) => this.accept(socket));
  }

  get connections(): number {
    return this.io.engine.clientsCount;
  }

  private accept(socket: Socket): void {
    const { claims } = socket.data as SocketData;
    const { logger } = this.options;
    const participant = new Participant(
      {
        userKey: claims.sub,
        lmsUserId: claims.lms,
        displayName: claims.name,
        role: claims.role,
        restricted: claims.rst ?? false,
      },
      new SocketChannel(socket),
    );
    const room = this.options.rooms.get(claims.cid);
    room.catch((error: unknown) => {
      const payload = toErrorPayload(error);
      logger.info({ classroomId: claims.cid, code: payload.code }, 'accept() | classroom unavailable');
      socket.emit('error', payload);
      socket.disconnect(true);
    });
    const handlers = room.then((loaded) => {
      loaded.attach(participant);
      return this.handlers(loaded, participant, claims);
    });
    // A failed room is reported above; requests waiting on it get the same error in their acknowledgement.
    handlers.catch(() => undefined);
    registerRequests(socket, handlers, { perSecond: this.options.requestsPerSecond ?? 40 }, logger);
    socket.on('disconnect', (reason) => {
      room
        .then((loaded) => loaded.leave(participant))
        .catch((error: unknown) => {
          if (toErrorPayload(error).status >= 500) {
            logger.error({ err: error, participantId: participant.id }, 'disconnect() | leave failed');
          }
        });
      logger.debug({ participantId: participant.id, reason }, 'disconnect() | socket closed');
    });
  }

  private handlers(room: Room, participant: Participant, claims: JoinClaims): RequestHandlers {
    const chatLimiter = new RateLimiterMemory({ points: 10, duration: 10 });
    const ok = { ok: true } as const;
    return {
      join: () => room.join(participant),
      leave: async () => {
        await room.leave(participant);
        return { left: true };
      },
      'session:refresh': () => this.options.tokens.mint(claims),

      'media:capabilities': async ({ rtpCapabilities }) => {
        await room.setCapabilities(participant, rtpCapabilities as unknown as types.RtpCapabilities);
        return ok;
      },
      createTransport: ({ direction, forceTcp }) => room.createTransport(participant, direction, forceTcp),
      connectTransport: async ({ transportId, dtlsParameters }) => {
        await room.connectTransport(
          participant,
          transportId,
          dtlsParameters as unknown as types.DtlsParameters,
        );
        return ok;
      },
      restartIce: async ({ transportId }) => ({
        iceParameters: await room.restartIce(participant, transportId),
      }),
      produce: async ({ transportId, kind, rtpParameters, source }) => ({
        producerId: await room.produce(participant, {
          transportId,
          kind,
          rtpParameters: rtpParameters as unknown as types.RtpParameters,
          source,
        }),
      }),
      closeProducer: ({ producerId }) => {
        room.closeProducer(participant, producerId);
        return ok;
      },
      pauseProducer: async ({ producerId }) => {
        await room.setProducerPaused(participant, producerId, true);
        return ok;
      },
      resumeProducer: async ({ producerId }) => {
        await room.setProducerPaused(participant, producerId, false);
        return ok;
      },
      resumeConsumer: async ({ consumerId }) => {
        await room.resumeConsumer(participant, consumerId);
        return ok;
      },
      setVisibleTiles: async ({ visible, focus }) => {
        await room.setVisibleTiles(participant, visible, focus);
        return ok;
      },

      'chat:send': async ({ text, to }) => {
        try {
          await chatLimiter.consume(participant.id);
        } catch (rejection) {
          const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
          throw new TooManyRequestsError(Math.ceil(ms / 1000), 'You are sending messages too quickly');
        }
        return { message: await room.sendChat(participant, text, to) };
      },
      'hand:raise': () => ({ queue: room.raiseHand(participant) }),
      'hand:lower': ({ participantId }) => ({ queue: room.lowerHand(participant, participantId) }),

      'lesson:start': async () => ({ lessonId: (await room.startLesson(participant))._id }),
      'lesson:end': async () => {
        await room.endLesson(participant, 'teacher');
        return ok;
      },
      'lobby:admit': async ({ participantId }) => {
        await room.admit(participant, participantId);
        return ok;
      },
      'lobby:admitAll': async () => ({ admitted: await room.admitAll(participant) }),
      'lobby:deny': async ({ participantId }) => {
        await room.deny(participant, participantId);
        return ok;
      },
      'mod:mute': async ({ participantId, source }) => {
        await room.mute(participant, participantId, source);
        return ok;
      },
      'mod:muteAll': async () => ({ muted: await room.muteAll(participant) }),
      'mod:remove': async ({ participantId }) => {
        await room.remove(participant, participantId);
        return ok;
      },
      'mod:lock': async ({ locked }) => {
        await room.setLocked(participant, locked);
        return ok;
      },
      'mod:pin': async ({ participantId }) => {
        await room.pin(participant, participantId);
        return ok;
      },
      'mod:lowerAllHands': () => {
        room.lowerAllHands(participant);
        return ok;
      },
      'mod:callNext': ({ count }) => ({ called: room.callNext(participant, count) }),
      'mod:giveFloor': async ({ participantId }) => {
        await room.giveFloor(participant, participantId);
        return ok;
      },
      'mod:settings': async (changes) => {
        await room.applySettings(participant, changes);
        return ok;
      },
    };
  }

  /** Disconnects everyone and stops accepting connections. */
  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => {
      this.io.close(() => resolve());
    });
    this.options.logger.info('close() | signalling closed');
  }
}
