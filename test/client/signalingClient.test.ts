// @vitest-environment node
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { SignalingClient } from '@/signaling/SignalingClient';
import { RoomElsewhereError } from '../../src/classroom/placement/ClusterNode.js';
import type { AppError } from '../../src/shared/errors.js';
import { ServiceUnavailableError, UnauthorizedError, toErrorPayload } from '../../src/shared/errors.js';

/** A socket.io server that refuses the first connections as Aula's does, then lets pages in. */
async function refusingServer(refusals: AppError[]) {
  const http = createServer();
  const io = new Server(http);
  const attempts: Array<{ node: string; at: number }> = [];
  io.use((socket, next) => {
    attempts.push({ node: String(socket.handshake.query.node ?? ''), at: Date.now() });
    const error = refusals.shift();
    if (!error) return next();
    const payload = toErrorPayload(error);
    const refusal = new Error(payload.message) as Error & { data?: unknown };
    refusal.data = { code: payload.code, status: payload.status, details: payload.details };
    next(refusal);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { url, attempts, close: () => new Promise<void>((resolve) => io.close(() => resolve())) };
}

describe('the page connecting to a classroom', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function connectThrough(refusals: AppError[]) {
    const server = await refusingServer(refusals);
    cleanups.push(server.close);
    const client = new SignalingClient(server.url, 'token', 'classroom-1');
    cleanups.push(() => client.close());
    return { server, client };
  }

  it('goes to the node that serves the classroom when refused with ROOM_ELSEWHERE', async () => {
    const { server, client } = await connectThrough([new RoomElsewhereError('b', 20)]);
    await client.connected();
    expect(server.attempts.map((attempt) => attempt.node)).toEqual(['', 'b']);
  });

  it.each([
    ['ROOM_MOVING', new ServiceUnavailableError('This classroom is moving, try again', 'ROOM_MOVING', 3)],
    ['DATABASE_UNAVAILABLE', new ServiceUnavailableError('Aula is busy', 'DATABASE_UNAVAILABLE', 3)],
  ])(
    'connects again by itself when refused with %s, after the wait the server asks for',
    async (_, error) => {
      const { server, client } = await connectThrough([error]);
      await client.connected();
      expect(server.attempts).toHaveLength(2);
      expect(server.attempts[1]!.at - server.attempts[0]!.at).toBeGreaterThanOrEqual(2_900);
    },
  );

  it('gives up on a refused token and says why', async () => {
    const { client } = await connectThrough([new UnauthorizedError('Invalid or expired token')]);
    await expect(client.connected()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
