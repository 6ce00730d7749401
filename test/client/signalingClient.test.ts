// @vitest-environment node
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { SignalingClient } from '@/signaling/SignalingClient';

/** A socket.io server that refuses the first connections with `codes`, then lets pages in. */
async function refusingServer(codes: string[]) {
  const http = createServer();
  const io = new Server(http);
  const refusals = [...codes];
  const seen: string[] = [];
  io.use((socket, next) => {
    seen.push(String(socket.handshake.query.node ?? ''));
    const code = refusals.shift();
    if (!code) return next();
    const refusal = new Error(code) as Error & { data?: unknown };
    refusal.data = {
      code,
      status: code === 'ROOM_ELSEWHERE' ? 421 : 503,
      details: { node: 'b', retryAfterMs: 20 },
    };
    next(refusal);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => io.close(() => resolve())) };
}

describe('the page connecting to a classroom', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it.each(['ROOM_ELSEWHERE', 'ROOM_MOVING', 'DATABASE_UNAVAILABLE'])(
    'connects again by itself when refused with %s, with the named node as its hint',
    async (code) => {
      const server = await refusingServer([code]);
      cleanups.push(server.close);
      const client = new SignalingClient(server.url, 'token', 'classroom-1');
      cleanups.push(() => client.close());
      await client.connected();
      expect(server.seen).toEqual(['', 'b']);
    },
  );

  it('gives up on a refused token and says why', async () => {
    const server = await refusingServer(['UNAUTHORIZED']);
    cleanups.push(server.close);
    const client = new SignalingClient(server.url, 'token', 'classroom-1');
    cleanups.push(() => client.close());
    await expect(client.connected()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
