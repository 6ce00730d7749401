import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { JoinClaims, JoinTokens } from '../classroom/joinToken.js';
import type { ParticipantChannel } from '../classroom/live/Participant.js';
import type { RoomRegistry } from '../classroom/live/RoomRegistry.js';
import { toErrorPayload } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { requestRegistry } from './handlers/index.js';
import type { ServerEventName, ServerEvents } from '../protocol/index.js';
import { registerRequests, type SocketSession } from './requestPipeline.js';

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
 * (checked again on every reconnection); each socket becomes one participant
 * of its classroom's room, and its requests run through the request pipeline.
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
      // A dead connection (Wi-Fi gone, a tunnel) is noticed within eight seconds on both sides: the
      // page says it is reconnecting, the server keeps the participant's place for the grace period.
      pingInterval: 4_000,
      pingTimeout: 4_000,
    });
    // The token first, then where the classroom lives: a page that reached the wrong node is told
    // which one serves its classroom (ROOM_ELSEWHERE, with the node as its routing hint).
    this.io.use((socket, next) => {
      options.tokens
        .verify(socket.handshake.auth?.token)
        .then(async (claims) => {
          (socket.data as SocketData).claims = claims;
          await options.rooms.admit(claims.cid);
          next();
        })
        .catch((error: unknown) => {
          const payload = toErrorPayload(error);
          if (payload.status >= 500 && payload.status !== 503) {
            options.logger.error({ err: error }, 'connect() | connection failed');
          } else {
            options.logger.info({ code: payload.code }, 'connect() | connection refused');
          }
          const refusal = new Error(payload.message) as Error & { data?: unknown };
          refusal.data = { code: payload.code, status: payload.status, details: payload.details };
          next(refusal);
        });
    });
    this.io.on('connection', (socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    const { claims } = socket.data as SocketData;
    const { logger } = this.options;
    const session: SocketSession = {
      ready: undefined!,
      classroom: undefined,
      participant: undefined,
      claims,
      tokens: this.options.tokens,
    };
    const channel = new SocketChannel(socket);
    session.ready = this.options.rooms.get(claims.cid).then((classroom) => {
      const participant = classroom.attach(
        {
          userKey: claims.sub,
          lmsUserId: claims.lms,
          displayName: claims.name,
          role: claims.role,
          restricted: claims.rst ?? false,
        },
        channel,
      );
      session.classroom = classroom;
      session.participant = participant;
    });
    const { ready } = session;
    ready.catch((error: unknown) => {
      const payload = toErrorPayload(error);
      logger.info({ classroomId: claims.cid, code: payload.code }, 'accept() | classroom unavailable');
      socket.emit('error', payload);
      socket.disconnect(true);
    });
    registerRequests(
      socket,
      session,
      requestRegistry,
      { perSecond: this.options.requestsPerSecond ?? 40 },
      logger,
    );
    socket.on('disconnect', (reason) => {
      ready
        .then(() => {
          const participant = session.participant!;
          // A page that resumed on a new connection: this old one no longer speaks for it.
          if (participant.channel !== channel) return;
          return session.classroom!.membership.reconnection.disconnected(participant);
        })
        .catch((error: unknown) => {
          if (toErrorPayload(error).status >= 500) {
            logger.error({ err: error, classroomId: claims.cid }, 'disconnect() | leave failed');
          }
        });
      logger.debug({ socketId: socket.id, reason }, 'disconnect() | socket closed');
    });
  }

  /**
   * Tells every page the server is restarting (they reconnect by themselves
   * when it is back), then disconnects everyone and stops accepting connections.
   */
  async close(): Promise<void> {
    this.io.emit('server:restarting', {});
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => {
      this.io.close(() => resolve());
    });
    this.options.logger.info('close() | signalling closed');
  }
}
