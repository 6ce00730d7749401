import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LtiBrowser, registerDynamically } from '../support/ltiBrowser.js';
import { PlatformSimulator } from '../support/platformSimulator.js';
import { testDatabaseUri } from '../support/testDatabase.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

interface CommandEvent {
  commandName: string;
  command: Record<string, unknown>;
}

/** The database commands Aula and ltijs send while `action` runs, as `command collection`. */
async function commandsDuring(aula: TestAula, action: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (event: CommandEvent) => {
    const collection = event.command[event.commandName];
    seen.push(`${event.commandName} ${typeof collection === 'string' ? collection : ''}`.trim());
  };
  const clients = [aula.database.connection.getClient(), aula.lti.provider.Database.db.getClient()];
  for (const client of clients) client.on('commandStarted', listener);
  try {
    await action();
  } finally {
    for (const client of clients) client.off('commandStarted', listener);
  }
  // Background work is not the launch's: the grade queue's poll, the rooms' sweeps, and what runs
  // on a clock (the health ping each second, the node's heartbeat and leases, the refusal counts),
  // which a launch slowed down by a busy machine overlaps.
  return seen.filter(
    (command) =>
      !/gradeJobs|lessons|liveLessons|attendance|nodes|roomLeases|refusals|^ping|^hello|^ismaster/i.test(
        command,
      ),
  );
}

describe('what a launch costs the LMS and the database', () => {
  let first: TestAula;
  let second: TestAula;
  let platform: PlatformSimulator;
  const admin = (aula: TestAula) => ({ Authorization: `Bearer ${aula.adminToken.value}` });

  beforeAll(async () => {
    first = await startTestAula({ MONGODB_URI: `${testDatabaseUri('launchcost')}?monitorCommands=true` });
    // A second process on the same database, as behind a load balancer.
    second = await startTestAula({ MONGODB_URI: first.mongoUri });
    platform = await PlatformSimulator.start();
    expect((await registerDynamically(first, platform)).status).toBe(200);
    await new LtiBrowser(first.url, platform).enterClassroom({
      sub: 'teacher',
      roles: [INSTRUCTOR],
      resourceLinkId: 'cost-link',
    });
  });
  afterAll(async () => {
    await platform?.close();
    await second?.close();
    await first?.stop();
  });

  const student = (sub: string) => ({ sub, roles: [LEARNER], resourceLinkId: 'cost-link' });

  it('fetches no keyset for a second launch from the same platform', async () => {
    await new LtiBrowser(first.url, platform).enterClassroom(student('keyset-1'));
    const fetched = platform.keysetRequests;
    await new LtiBrowser(first.url, platform).enterClassroom(student('keyset-2'));
    await new LtiBrowser(first.url, platform).enterClassroom(student('keyset-3'));
    expect(platform.keysetRequests).toBe(fetched);
  });

  it('takes at most six database commands for a launch, and stores nothing in ltijs', async () => {
    await new LtiBrowser(first.url, platform).enterClassroom(student('warm-up'));
    const commands = await commandsDuring(first, () =>
      new LtiBrowser(first.url, platform).enterClassroom(student('counted')),
    );
    expect(commands.length, commands.join(', ')).toBeLessThanOrEqual(6);
    // ltijs's launch records (id tokens, contexts, nonces, states) were written and never read.
    expect(
      commands.filter((command) => /idtokens|contexttokens|nonces$|states|platform/.test(command)),
    ).toEqual([]);
    for (const collection of ['idtokens', 'contexttokens', 'nonces', 'states']) {
      expect(await first.database.connection.collection(collection).countDocuments()).toBe(0);
    }
  });

  it('shows a changed platform setting to the next launch in every process', async () => {
    await new LtiBrowser(second.url, platform).enterClassroom(student('cached-in-second'));
    const { body } = await request(first.url).get('/api/admin/overview').set(admin(first));
    const platformId = body.platforms[0].id as string;

    await request(first.url)
      .patch(`/api/admin/platforms/${platformId}`)
      .set(admin(first))
      .send({ enabled: false });
    const refused = await new LtiBrowser(second.url, platform).login(platform.defineLaunch(student('off')));
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('switched off');

    await request(second.url)
      .patch(`/api/admin/platforms/${platformId}`)
      .set(admin(second))
      .send({ enabled: true });
    await new LtiBrowser(first.url, platform).enterClassroom(student('on-again'));

    await request(second.url)
      .patch(`/api/admin/platforms/${platformId}/deployments/${platform.deploymentId}`)
      .set(admin(second))
      .send({ seatTier: 10 });
    const teacher = await new LtiBrowser(first.url, platform).enterClassroom({
      sub: 'teacher',
      roles: [INSTRUCTOR],
      resourceLinkId: 'new-link-after-tier-change',
    });
    expect((await first.services.classrooms.get(teacher.classroomId)).seatCap).toBe(10);
  });

  it('sees a platform registered through another process at its first launch', async () => {
    const other = await PlatformSimulator.start();
    try {
      expect((await registerDynamically(second, other)).status).toBe(200);
      const handoff = await new LtiBrowser(first.url, other).enterClassroom({
        sub: 'teacher',
        roles: [INSTRUCTOR],
        resourceLinkId: 'other-link',
      });
      expect(handoff.role).toBe('teacher');
    } finally {
      await other.close();
    }
  });
});
