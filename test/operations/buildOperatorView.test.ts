import { Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { adminApi } from '../../src/http/adminApi.js';
import { createApp } from '../../src/http/createApp.js';
import { operatorRoutes } from '../../src/http/operatorRoutes.js';
import { createLogger } from '../../src/shared/logger.js';
import { DatabaseHealth } from '../../src/store/DatabaseHealth.js';
import { buildOperatorView, type OperatorSources } from '../../src/operations/OperatorView.js';
import { operatorViewSchema } from '../../src/operations/operatorSchemas.js';
import type { NodeInfo } from '../../src/classroom/placement/NodeDirectory.js';

const started = new Date('2026-12-07T08:00:00Z');

function sources(overrides: Partial<OperatorSources> = {}): OperatorSources {
  const node = (id: string, liveRooms: Array<{ classroomId: string; participants: number }>) =>
    ({
      _id: id,
      instanceId: 'i',
      publicUrl: 'https://aula.school.example',
      mediaAddress: '203.0.113.7',
      version: '0.1.0',
      nodeVersion: '20.20.2',
      startedAt: started,
      heartbeatAt: new Date(),
      draining: false,
      rooms: liveRooms.length,
      participants: liveRooms.reduce((sum, room) => sum + room.participants, 0),
      capacity: 240,
      workersAlive: 2,
      liveRooms,
    }) as unknown as NodeInfo;
  return {
    nodeId: 'aula1',
    liveNodes: async () => [node('aula2', [{ classroomId: 'c2', participants: 7 }]), node('aula1', [])],
    liveRooms: async () => [{ classroomId: 'c1', participants: 12 }],
    liveLessons: async () => [
      { lessonId: 'l1', classroomId: 'c1', startedAt: started },
      { lessonId: 'l2', classroomId: 'c2', startedAt: started },
      { lessonId: 'l3', classroomId: 'c3', startedAt: started },
    ],
    classroomSummaries: async () =>
      new Map([
        ['c1', { title: 'Physik', platformId: 'p1' }],
        ['c2', { title: 'Chemie', platformId: 'p1' }],
        ['c3', { title: 'Musik', platformId: 'p1' }],
      ]),
    databaseAvailable: () => true,
    guard: (read) => read(),
    workersConfigured: 2,
    workerUsage: async () => [{ index: 1, pid: 4242, cpuSeconds: 3.5, rssBytes: 50_000_000, load: 12 }],
    recentRefusals: async () => [{ kind: 'loginLimit', subject: '', count: 4, lastAt: started }],
    retention: { attendanceDays: 180, chatDays: 30, guestDays: 30, sweepMinutes: 60 },
    lastSweep: () => undefined,
    ...overrides,
  };
}

describe('the operator’s view, as built from its sources', () => {
  it('places each live lesson on the node whose room holds it, and none where no node does', async () => {
    const view = operatorViewSchema.parse(await buildOperatorView(sources()));
    expect(view.lessons.map(({ title, nodeId, participants }) => [title, nodeId, participants])).toEqual([
      ['Physik', 'aula1', 12],
      ['Chemie', 'aula2', 7],
      ['Musik', null, null],
    ]);
    expect(view.nodes.map((node) => [node.id, node.self, node.participants])).toEqual([
      ['aula1', true, 12],
      ['aula2', false, 7],
    ]);
  });

  it('shows every configured media worker, a dead one as not alive', async () => {
    const view = await buildOperatorView(sources());
    expect(view.health.mediaWorkers).toEqual([
      { index: 0, alive: false, pid: null, participants: null, cpuSeconds: null, rssBytes: null },
      { index: 1, alive: true, pid: 4242, participants: 12, cpuSeconds: 3.5, rssBytes: 50_000_000 },
    ]);
  });

  it('still answers while the database is away: its health, workers and retention, no lists', async () => {
    const untouched = () => Promise.reject(new Error('the database is not asked while it is away'));
    const view = operatorViewSchema.parse(
      await buildOperatorView(
        sources({
          databaseAvailable: () => false,
          liveNodes: untouched,
          liveLessons: untouched,
          recentRefusals: untouched,
          classroomSummaries: untouched,
        }),
      ),
    );
    expect(view.health.database).toEqual({ available: false });
    expect(view).toMatchObject({ lessons: [], nodes: [], refusals: [] });
    expect(view.health.mediaWorkers).toHaveLength(2);
    expect(view.retention.attendanceDays).toBe(180);
  });
});

describe('/api/admin/operations while the database is away', () => {
  it('answers with the database’s state, where the rest of the admin API answers 503', async () => {
    const logger = createLogger({ level: 'silent' });
    const health = new DatabaseHealth(
      async () => false,
      { intervalMs: 1000, timeoutMs: 100, failuresToDown: 1 },
      logger,
    );
    await health.check();
    expect(health.isAvailable).toBe(false);
    const token = 'an-admin-token-of-some-length';
    const app = createApp({
      logger,
      trustProxy: false,
      readiness: async () => ({ ready: false, checks: {} }),
      platformOrigins: () => [],
      databaseHealth: health,
      features: [
        adminApi(token, [
          Router().get('/overview', (_req, res) => void res.json({})),
          operatorRoutes(() => buildOperatorView(sources({ databaseAvailable: () => health.isAvailable }))),
        ]),
      ],
    });
    const auth = { Authorization: `Bearer ${token}` };
    expect((await request(app).get('/api/admin/overview').set(auth)).status).toBe(503);
    const { body } = await request(app).get('/api/admin/operations').set(auth).expect(200);
    expect(operatorViewSchema.parse(body).health.database).toEqual({ available: false });
    // Still behind the admin token.
    expect((await request(app).get('/api/admin/operations')).status).toBe(401);
  });
});
