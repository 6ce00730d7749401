import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorViewSchema, type OperatorView } from '../../src/operations/operatorSchemas.js';
import type { ClassroomClient } from '../support/classroomClient.js';
import { joinedStudent, liveLesson, tokenFor } from '../support/classroomFixtures.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

// /api/admin/operations: what is happening now, for the people who run Aula.
// Two nodes on one database; the view is read from ops-b, lessons run on either.

let viewer: TestAula;
let other: TestAula;
const clients: ClassroomClient[] = [];

beforeAll(async () => {
  viewer = await startTestAula({ AULA_NODE_ID: 'ops-b', AULA_LOGIN_RATE_PER_MINUTE: '2' });
  // A classroom goes to the least-loaded node, on a tie to the node the teacher reached: each lesson
  // below stays on the node its teacher connected to.
  other = await startTestAula({ AULA_NODE_ID: 'ops-a', MONGODB_URI: viewer.mongoUri });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await other?.close();
  await viewer?.stop();
});

const admin = (aula: TestAula) => ({ Authorization: `Bearer ${aula.adminToken.value}` });

async function view(aula: TestAula = viewer): Promise<OperatorView> {
  const response = await request(aula.url).get('/api/admin/operations').set(admin(aula)).expect(200);
  expect(response.headers['cache-control']).toBe('no-store');
  return operatorViewSchema.parse(response.body);
}

describe('the operator’s view', () => {
  it('needs the admin token', async () => {
    const response = await request(viewer.url).get('/api/admin/operations').expect(401);
    expect(response.body.error.code).toBe('ADMIN_ONLY');
  });

  it(
    'lists every live lesson with its classroom, participants, node and start',
    { timeout: 60_000 },
    async () => {
      const here = await liveLesson(viewer, { title: 'Physik 10a', lobbyEnabled: false });
      clients.push(here.teacher);
      for (const id of ['s1', 's2'])
        clients.push((await joinedStudent(viewer, here.classroom._id, { id })).client);
      const there = await liveLesson(other, { title: 'Chemie 8c', lobbyEnabled: false });
      clients.push(there.teacher);
      clients.push((await joinedStudent(other, there.classroom._id, { id: 's3' })).client);

      // The other node's rooms arrive with its heartbeat.
      const seen = await waitFor(
        async () => {
          const current = await view();
          const chemie = current.lessons.find((lesson) => lesson.classroomId === there.classroom._id);
          return chemie?.participants === 2 ? current : undefined;
        },
        { what: 'the other node’s lesson in the view' },
      );
      const physik = seen.lessons.find((lesson) => lesson.classroomId === here.classroom._id)!;
      expect(physik).toMatchObject({
        lessonId: here.lessonId,
        title: 'Physik 10a',
        platformId: 'test-platform',
        nodeId: 'ops-b',
        participants: 3,
      });
      expect(Date.now() - Date.parse(physik.startedAt)).toBeLessThan(60_000);
      expect(seen.lessons.find((lesson) => lesson.classroomId === there.classroom._id)).toMatchObject({
        lessonId: there.lessonId,
        title: 'Chemie 8c',
        nodeId: 'ops-a',
      });

      // Ended, it is gone.
      await here.teacher.request('lesson:end');
      await waitFor(async () => !(await view()).lessons.some((lesson) => lesson.lessonId === here.lessonId), {
        what: 'the ended lesson to leave the view',
      });
    },
  );

  it('shows both nodes with load and version, and this node’s database and media workers', async () => {
    const current = await view();
    expect(current.nodeId).toBe('ops-b');
    expect(current.nodes.map((node) => [node.id, node.self])).toEqual([
      ['ops-a', false],
      ['ops-b', true],
    ]);
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    for (const node of current.nodes) {
      expect(node).toMatchObject({
        version,
        nodeVersion: process.versions.node,
        workersAlive: 1,
        draining: false,
      });
      expect(node.capacity).toBeGreaterThan(0);
    }
    expect(current.health.database).toEqual({ available: true });
    expect(current.health.mediaWorkers).toEqual([
      expect.objectContaining({ index: 0, alive: true, pid: viewer.workerPool.workers[0]!.pid }),
    ]);
    expect(current.retention).toMatchObject({
      attendanceDays: 180,
      chatDays: 30,
      guestDays: 30,
      sweepMinutes: 60,
    });
  });

  it('shows the last retention sweep of this node', async () => {
    await viewer.retention.sweep();
    const { lastSweep } = (await view()).retention;
    expect(lastSweep?.deleted).toHaveProperty('refusals');
    expect(Date.now() - Date.parse(lastSweep!.at)).toBeLessThan(10_000);
  });

  it('counts refusals worth a look: a switched-off platform, the login limit, an unknown LMS', async () => {
    // A platform the school switched off; a student opens its classroom page anyway.
    const { body: registered } = await request(viewer.url)
      .post('/api/admin/platforms')
      .set(admin(viewer))
      .send({
        issuer: 'https://moodle.ops.example',
        clientId: 'ops-client',
        name: 'Moodle',
        authenticationEndpoint: 'https://moodle.ops.example/auth',
        accessTokenEndpoint: 'https://moodle.ops.example/token',
        keysetUrl: 'https://moodle.ops.example/certs',
        deployments: ['d1'],
      })
      .expect(201);
    const classroom = await viewer.services.classrooms.create(
      { platformId: registered.id, deploymentId: 'd1', contextId: 'ops-course' },
      { title: 'Abgeschaltet', seatCap: 10 },
      'creator',
    );
    await request(viewer.url)
      .patch(`/api/admin/platforms/${registered.id}`)
      .set(admin(viewer))
      .send({ enabled: false })
      .expect(200);
    const token = await tokenFor(viewer, classroom._id, { id: 'late', role: 'student' });
    const refused = await request(viewer.url)
      .get(`/api/classrooms/${classroom._id}`)
      .set('Authorization', `Bearer ${token}`);
    expect(refused.body.error?.code).toBe('SWITCHED_OFF');

    // Logins beyond the limit (2 a minute here), and a login from an LMS nobody registered.
    const login = (iss: string) =>
      request(viewer.url)
        .get('/lti/login')
        .query({ iss, login_hint: 'x', target_link_uri: `${viewer.url}/lti/launch` });
    expect((await login('https://unknown.lms.example')).status).toBe(400);
    expect((await login('https://unknown.lms.example')).status).toBe(400);
    expect((await login('https://unknown.lms.example')).status).toBe(429);

    const { refusals } = await view();
    const count = (kind: string, subject: string) =>
      refusals.find((refusal) => refusal.kind === kind && refusal.subject === subject)?.count;
    expect(count('switchedOff', registered.id)).toBeGreaterThanOrEqual(1);
    expect(count('unknownPlatform', 'https://unknown.lms.example')).toBe(2);
    expect(count('loginLimit', '')).toBe(1);
    // Counted in the database: the other node's view shows them too.
    expect((await view(other)).refusals).toContainEqual(
      expect.objectContaining({ kind: 'loginLimit', count: 1 }),
    );
  });
});
