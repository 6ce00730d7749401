import crypto from 'node:crypto';
import { io } from 'socket.io-client';
import type { SuperAgentRequest } from 'superagent';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import type { Database } from '../../src/store/Database.js';
import { drag, drawStroke, shapeCount } from '../support/boardPage.js';
import type { ContextBrowser } from '../support/browser.js';
import { ClassroomClient } from '../support/classroomClient.js';
import { closeScene, everyPageReceives, openScene, type ScenePages } from '../support/lessonScene.js';
import { haproxyInstalled, type LoadBalancer } from '../support/loadBalancer.js';
import { LtiBrowser, registerDynamically } from '../support/ltiBrowser.js';
import { PlatformSimulator } from '../support/platformSimulator.js';
import { waitFor } from '../support/testAula.js';
import { NODE_IDS, otherNode, TwoNodeCluster, type NodeId } from '../support/twoNodeCluster.js';

// Two Aula processes (own ports, own media ports) on one database behind Debian's HAProxy with
// production's routing rule; real classroom pages in a real browser reach Aula only through it.

/** The bound: the lesson continues on the other node within this long after a crash. */
const FAILOVER_MS = 15_000;
const METRICS_TOKEN = crypto.randomBytes(18).toString('base64url');

const haproxy = haproxyInstalled();
if (!haproxy) {
  process.stderr.write(
    'cluster tests skipped: Debian haproxy is not installed (npm test installs it as root)\n',
  );
}

describe.skipIf(!haproxy)('several Aula nodes behind a load balancer', () => {
  const adminToken = crypto.randomBytes(18).toString('base64url');
  let cluster: TwoNodeCluster;
  let nodes: TwoNodeCluster['nodes'];
  let balancer: LoadBalancer;
  let database: Database;
  let users: ContextBrowser;

  beforeAll(async () => {
    cluster = await TwoNodeCluster.start('cluster', {
      AULA_ADMIN_TOKEN: adminToken,
      // Seats and attendance renewed every two seconds: a crashed node's intervals end close to the crash.
      AULA_SEAT_LEASE_SECONDS: '6',
      AULA_METRICS_TOKEN: METRICS_TOKEN,
    });
    ({ nodes, balancer, database, users } = cluster);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const token = (classroomId: string, who: { id: string; role: 'teacher' | 'student' }) =>
    cluster.token(classroomId, who);
  const createClassroom = () => cluster.createClassroom();
  const owner = (classroomId: string) => cluster.owner(classroomId);
  const other = otherNode;

  /** One node's own gauges, scraped from it directly as Prometheus does (they refresh every 5 s). */
  async function metricsOf(id: NodeId): Promise<Record<string, number>> {
    const response = await fetch(`${nodes[id].url}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const values: Record<string, number> = {};
    for (const [, name, value] of (await response.text()).matchAll(
      /^(aula_[a-z_]+(?:\{[^}]*\})?) (\S+)$/gm,
    )) {
      values[name!] = Number(value);
    }
    return values;
  }

  async function openLesson(): Promise<{ classroomId: string; pages: ScenePages; served: NodeId }> {
    const classroomId = await createClassroom();
    const pages = await openScene(
      { url: balancer.url, classroomId, token: (who) => token(classroomId, who) },
      users,
    );
    return { classroomId, pages, served: await owner(classroomId) };
  }

  async function lessonOf(classroomId: string) {
    const lessons = await database.models.lessons.find({ classroomId }).lean();
    expect(lessons).toHaveLength(1);
    return lessons[0]!;
  }

  async function attendanceByPerson(lessonId: string) {
    const intervals = await database.models.attendance.find({ lessonId }).sort({ joinedAt: 1 }).lean();
    const people = new Map<string, typeof intervals>();
    for (const interval of intervals)
      people.set(interval.userKey, [...(people.get(interval.userKey) ?? []), interval]);
    return people;
  }

  async function backInLesson(pages: ScenePages, deadline: number): Promise<void> {
    for (const page of Object.values(pages)) {
      await waitFor(async () => (await page.isInLesson()) && !(await page.isReconnecting()), {
        what: 'the page back in the lesson',
        timeoutMs: Math.max(1_000, deadline - Date.now()),
      });
      expect(await page.inLobby()).toBe(false);
    }
    await everyPageReceives(pages, Math.max(1_000, deadline - Date.now()));
  }

  it('serves a launch, the page and its socket through the balancer, whichever node each request reaches', async () => {
    const platform = await PlatformSimulator.start();
    try {
      // The registration URL with its secret, as /admin shows it, from whichever node answers.
      const lti = {
        registrationUrl: async () =>
          (
            (
              await request(balancer.url)
                .get('/api/admin/overview')
                .set('Authorization', `Bearer ${adminToken}`)
            ).body as { urls: { registration: string } }
          ).urls.registration,
      };
      expect((await registerDynamically({ lti }, platform)).status).toBe(200);
      // Each request of the launch asks the balancer for the other node than the one before
      // (its routing hint), so login, launch and ticket redemption land on different nodes.
      const browser = new LtiBrowser(balancer.url, platform);
      const servedBy: string[] = [];
      let step = 0;
      browser.agent.use((req: SuperAgentRequest) => {
        req.query({ node: NODE_IDS[step++ % 2]! });
        req.on('response', (res: { headers: Record<string, string> }) =>
          servedBy.push(res.headers['x-aula-node']!),
        );
      });
      const teacher = await browser.enterClassroom({
        sub: 'teacher-lb',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
        resourceLinkId: 'lb-link',
        resourceLinkTitle: 'Balanced',
      });
      expect(servedBy, balancer.log).toEqual(['aula1', 'aula2', 'aula1']);
      expect(teacher).toMatchObject({ role: 'teacher', name: expect.any(String) });

      const page = await fetch(`${balancer.url}/classroom/${teacher.classroomId}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');

      const socket = await ClassroomClient.connect(balancer.url, teacher.token, {
        classroomId: teacher.classroomId,
      });
      await socket.request('join');
      expect(await socket.request('lesson:start')).toMatchObject({ lessonId: expect.any(String) });
      const served = await owner(teacher.classroomId);

      // The other node, asked directly, names the node that serves the classroom…
      const refusal = await new Promise<{ code?: string; details?: { node?: string } }>((resolve) => {
        const direct = io(nodes[other(served)].url, {
          auth: { token: teacher.token },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        direct.once('connect', () => {
          direct.close();
          resolve({});
        });
        direct.once('connect_error', (error: Error & { data?: { code?: string } }) => {
          direct.close();
          resolve(error.data ?? {});
        });
      });
      expect(refusal).toMatchObject({ code: 'ROOM_ELSEWHERE', details: { node: served } });
      // …and the balancer sends a page that asks for that node there, even without the classroom.
      const second = await ClassroomClient.connect(balancer.url, teacher.token, { node: served });
      expect(await second.request('join')).toMatchObject({ status: 'joined' });
      await second.request('lesson:end');
      second.close();
      socket.close();
    } finally {
      await platform.close();
    }
  });

  it('makes an address wait after five wrong guest passwords, whichever node each reached', async () => {
    const classroomId = await createClassroom();
    const teacherToken = await token(classroomId, { id: 'teacher', role: 'teacher' });
    const configured = await request(balancer.url)
      .post(`/api/classrooms/${classroomId}/guest-access`)
      .set('Authorization', `Bearer ${teacherToken}`)
      .send({
        enabled: true,
        linkName: `Guests${crypto.randomBytes(4).toString('hex')}`,
        password: 'Correct4Horse',
      })
      .expect(200);
    const link = configured.body.guestAccess.linkName as string;
    // The guesses alternate between the nodes (the balancer's routing hint): the count is shared.
    const answers = [];
    for (let i = 0; i < 7; i++) {
      const answer = await request(balancer.url)
        .post('/api/guest/join')
        .query({ node: NODE_IDS[i % 2]! })
        .send({ link, password: `Wrong${i}Horse`, displayName: 'Guest' });
      answers.push(`${answer.status} ${answer.headers['x-aula-node']}`);
    }
    expect(answers, balancer.log).toEqual([
      '401 aula1',
      '401 aula2',
      '401 aula1',
      '401 aula2',
      '401 aula1',
      '429 aula2',
      '429 aula1',
    ]);
  });

  it('continues a lesson on the other node within 15 s of a kill -9, with everyone, seats and attendance', async () => {
    const { classroomId, pages, served } = await openLesson();
    const survivor = other(served);
    const lesson = await lessonOf(classroomId);
    // Each node's metrics say where the class runs: its room, its people, its media load and its lease.
    // Three pages, and the teacher's second tab that let the students in, away since it closed.
    await waitFor(async () => (await metricsOf(served)).aula_participants_connected === 4, {
      what: 'the serving node to count the class',
    });
    expect(await metricsOf(served)).toMatchObject({
      aula_rooms_live: 1,
      'aula_media_worker_participants{worker="0"}': 4,
      aula_cluster_nodes_live: 2,
      aula_node_draining: 0,
    });
    // Its lease count is what the database holds for it (it may still keep rooms of earlier tests).
    const leasesIn = async (id: NodeId) =>
      database.models.roomLeases.countDocuments({ nodeId: id, expiresAt: { $gt: new Date() } });
    expect((await metricsOf(served)).aula_room_leases_held).toBe(await leasesIn(served));
    const killedAt = Date.now();
    await nodes[served].stop('SIGKILL');
    for (const page of Object.values(pages)) {
      await waitFor(() => page.isReconnecting(), { what: 'the page to notice', timeoutMs: 5_000 });
    }
    await backInLesson(pages, killedAt + FAILOVER_MS);
    const recoveredAt = Date.now();

    // The same lesson, now served by the survivor, whose metrics show it.
    expect(await owner(classroomId)).toBe(survivor);
    await waitFor(
      async () => (await metricsOf(survivor)).aula_room_leases_held === (await leasesIn(survivor)),
      {
        what: "the survivor's metrics to show the lease it took",
      },
    );
    expect(await lessonOf(classroomId)).toMatchObject({ _id: lesson._id, status: 'live' });
    // No seat leaked: one per student, none left over from the dead node.
    const seats = await database.models.seats.find({ lessonId: lesson._id }).lean();
    expect(seats.map((seat) => seat.userKey).sort()).toEqual([
      lmsUserKey('p', 'anna'),
      lmsUserKey('p', 'ben'),
    ]);
    // Attendance continuous: each person's first interval ends by the crash, the next starts
    // within the failover bound of it, and only that one is open.
    await waitFor(
      async () => [...(await attendanceByPerson(lesson._id)).values()].every((i) => i.length === 2),
      {
        what: 'attendance reopened on the survivor',
      },
    );
    const people = await attendanceByPerson(lesson._id);
    expect(people.size).toBe(3);
    for (const [who, [before, after]] of people) {
      expect(before!.leftAt, who).toBeDefined();
      expect(before!.leftAt!.getTime(), who).toBeLessThanOrEqual(killedAt);
      expect(after!.leftAt, who).toBeUndefined();
      expect(after!.joinedAt.getTime(), who).toBeLessThanOrEqual(recoveredAt);
      // The gap: the crash plus one seat heartbeat (2 s here) before it at most.
      expect(after!.joinedAt.getTime() - before!.leftAt!.getTime(), who).toBeLessThanOrEqual(
        FAILOVER_MS + 2_000,
      );
    }
    await closeScene(pages);
    // The crashed node comes back for the next test.
    await nodes[served].start();
    await balancer.waitForNodes([served]);
  });

  it('drains a node on SIGTERM: its lesson moves to the other node at once, the board with it, and it stops cleanly', async () => {
    const { classroomId, pages, served } = await openLesson();
    const target = other(served);
    const lesson = await lessonOf(classroomId);
    // The teacher shows the board and draws on it right before the drain.
    const teacher = pages.teacher.page;
    await teacher.getByTestId('stage-board').click();
    await drawStroke(teacher);
    await waitFor(async () => (await shapeCount(pages.anna.page)) === '1', { what: 'the stroke at Anna' });
    const stoppedAt = Date.now();
    const exitCode = await nodes[served].stop('SIGTERM');
    expect(exitCode).toBe(0);
    // The classroom was handed over, not left to expire: the survivor holds a lease it got at the drain.
    const lease = await database.models.roomLeases.findById(classroomId).lean();
    expect(lease).toMatchObject({ nodeId: target });
    expect(lease!.acquiredAt.getTime()).toBeGreaterThanOrEqual(stoppedAt - 1_000);
    // The drained node left the directory and holds nothing.
    expect(await database.models.nodes.findById(served).lean()).toBeNull();
    expect(await database.models.roomLeases.countDocuments({ nodeId: served })).toBe(0);

    await backInLesson(pages, stoppedAt + 10_000);
    expect(await owner(classroomId)).toBe(target);
    expect(await lessonOf(classroomId)).toMatchObject({ _id: lesson._id, status: 'live' });
    const seats = await database.models.seats.find({ lessonId: lesson._id }).lean();
    expect(seats).toHaveLength(2);
    await waitFor(
      async () => [...(await attendanceByPerson(lesson._id)).values()].every((i) => i.length === 2),
      {
        what: 'attendance reopened on the other node',
      },
    );
    for (const [who, [before, after]] of await attendanceByPerson(lesson._id)) {
      // The drained node closed its intervals as it handed over; the new ones follow at once.
      expect(before!.leftAt!.getTime(), who).toBeGreaterThanOrEqual(stoppedAt);
      expect(after!.joinedAt.getTime(), who).toBeGreaterThanOrEqual(before!.leftAt!.getTime() - 1_000);
      expect(after!.leftAt, who).toBeUndefined();
    }
    // The board came along: the stroke is on every page, and the next one reaches the class on the new node.
    for (const page of Object.values(pages))
      await waitFor(async () => (await shapeCount(page.page)) === '1', { what: 'the stroke after the move' });
    await drag(teacher, [0.6, 0.6], [0.8, 0.7]);
    await waitFor(async () => (await shapeCount(pages.ben.page)) === '2', {
      what: 'a stroke on the new node',
    });
    await closeScene(pages);
  });
});
