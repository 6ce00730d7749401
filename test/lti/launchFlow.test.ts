import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { ClassroomClient } from '../support/classroomClient.js';
import { LtiBrowser, registerDynamically } from '../support/ltiBrowser.js';
import { PlatformSimulator } from '../support/platformSimulator.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

describe('from registration to a lesson', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;

  beforeAll(async () => {
    aula = await startTestAula();
    platform = await PlatformSimulator.start();
  });
  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  it('registers dynamically with one URL, sending name, icon, messages and custom parameters', async () => {
    const response = await registerDynamically(aula, platform);
    expect(response.status).toBe(200);
    expect(response.text).toContain('registered.js');
    const registration = platform.registrations[0]!;
    expect(registration).toMatchObject({
      client_name: 'Aula',
      initiate_login_uri: `${aula.url}/lti/login`,
      redirect_uris: [`${aula.url}/lti/launch`],
      jwks_uri: `${aula.url}/lti/keys`,
      logo_uri: `${aula.url}/icon.svg`,
      token_endpoint_auth_method: 'private_key_jwt',
    });
    const configuration = registration['https://purl.imsglobal.org/spec/lti-tool-configuration'] as Record<
      string,
      unknown
    >;
    expect(configuration.custom_parameters).toEqual({ aula_timezone: '$Person.address.timezone' });
    expect(configuration.claims).not.toContain('email');
    expect(
      (configuration.messages as Array<{ type: string; label: string }>).map((m) => m.type).sort(),
    ).toEqual(['LtiDeepLinkingRequest', 'LtiResourceLinkRequest']);
    const overview = await request(aula.url)
      .get('/api/admin/overview')
      .set('Authorization', `Bearer ${aula.adminToken.value}`);
    expect(overview.body.platforms).toEqual([
      expect.objectContaining({
        issuer: platform.issuer,
        clientId: platform.clientId,
        registeredVia: 'dynamic',
        enabled: true,
        deployments: [{ deploymentId: platform.deploymentId, enabled: true, seatTier: 25 }],
      }),
    ]);
    // The registration used the URL's secret up; a new one is shown to the admin.
    expect(overview.body.urls.registration).toBe(await aula.lti.registrationUrl());
    // Opened directly, or with a registration token the platform refuses, the URL explains itself.
    const registrationPath = new URL(await aula.lti.registrationUrl()).pathname;
    const direct = await request(aula.url).get(registrationPath);
    expect(direct.status).toBe(400);
    expect(direct.text).toContain('dynamic registration');
    const refused = await request(aula.url)
      .get(registrationPath)
      .query({
        openid_configuration: `${platform.url}/.well-known/openid-configuration`,
        registration_token: 'wrong',
      });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('registration failed');
  });

  it('lets a teacher deep-link a new classroom, then teacher and student launch into it', async () => {
    const teacherBrowser = new LtiBrowser(aula.url, platform);
    const deepLink = await teacherBrowser.launch({
      sub: 'teacher-1',
      name: 'Frau Berg',
      roles: [INSTRUCTOR],
      messageType: 'LtiDeepLinkingRequest',
    });
    expect(deepLink.status).toBe(303);
    const ticket = /^\/deep-link#ticket=([^&]+)/.exec(deepLink.headers.location!)?.[1];
    expect(ticket).toBeDefined();

    const picker = await request(aula.url).get(`/api/deep-link/${ticket}`);
    expect(picker.status).toBe(200);
    expect(picker.body).toMatchObject({ contextTitle: 'Biology 7b', defaultSeatCap: 25, classrooms: [] });
    const created = await request(aula.url)
      .post(`/api/deep-link/${ticket}`)
      .send({
        newClassroom: { title: 'Photosynthesis', seatCap: 30, guestAccess: true, lectureMode: false },
      });
    expect(created.status).toBe(200);
    expect(created.body.returnUrl).toBe(`${platform.url}/deep-link-return`);
    expect(created.body.guestPassword).toMatch(/^[A-Za-z0-9]{14}$/);
    // The message for the platform is signed when the teacher continues.
    const response = await request(aula.url).post(`/api/deep-link/${ticket}/response`);
    expect(response.status).toBe(200);
    expect(response.body.returnUrl).toBe(`${platform.url}/deep-link-return`);
    const message = decodeJwt(response.body.jwt as string);
    expect(message).toMatchObject({
      iss: platform.clientId,
      aud: platform.issuer,
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': platform.deploymentId,
      'https://purl.imsglobal.org/spec/lti-dl/claim/data': 'opaque-platform-data',
    });
    const [item] = message['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Array<
      Record<string, unknown>
    >;
    expect(item).toMatchObject({
      type: 'ltiResourceLink',
      title: 'Photosynthesis',
      url: `${aula.url}/lti/launch`,
    });
    const classroomId = (item!.custom as Record<string, string>).aula_classroom!;
    expect(created.body.classroom).toMatchObject({
      id: classroomId,
      seatCap: 30,
      guestAccess: { enabled: true },
    });
    // The picker session is single use.
    expect((await request(aula.url).get(`/api/deep-link/${ticket}`)).status).toBe(401);

    const custom = { aula_classroom: classroomId };
    const teacher = await teacherBrowser.enterClassroom({
      sub: 'teacher-1',
      name: 'Frau Berg',
      roles: [INSTRUCTOR],
      resourceLinkId: 'rl-9',
      custom,
    });
    expect(teacher).toMatchObject({ classroomId, role: 'teacher', name: 'Frau Berg' });

    const studentBrowser = new LtiBrowser(aula.url, platform);
    const student = await studentBrowser.enterClassroom({
      sub: 'student-1',
      name: 'Ada',
      roles: [LEARNER],
      resourceLinkId: 'rl-9',
      custom,
    });
    expect(student).toMatchObject({ classroomId, role: 'student', name: 'Ada' });

    // A launch of the same resource link without the custom parameter (a course copy) opens the same classroom.
    const plain = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'student-2',
      roles: [LEARNER],
      resourceLinkId: 'rl-9',
    });
    expect(plain.classroomId).toBe(classroomId);

    // The join tokens work on the socket: the teacher starts, the student waits in the lobby.
    const teacherSocket = await ClassroomClient.connect(aula.url, teacher.token);
    const studentSocket = await ClassroomClient.connect(aula.url, student.token);
    try {
      await teacherSocket.request('join');
      await teacherSocket.request('lesson:start');
      expect(await studentSocket.request('join')).toMatchObject({
        status: 'lobby',
        self: { role: 'student', displayName: 'Ada' },
      });
    } finally {
      teacherSocket.close();
      studentSocket.close();
    }
    // The launch ticket was single use.
    const reused = await studentBrowser.agent.post('/api/launch/redeem').send({ ticket: 'x'.repeat(32) });
    expect(reused.status).toBe(401);
  });

  it("creates a classroom on a teacher's first launch of a link that was not deep-linked, and tells students to wait before that", async () => {
    const early = await new LtiBrowser(aula.url, platform).launch({
      sub: 'student-9',
      roles: [LEARNER],
      resourceLinkId: 'fresh-link',
    });
    expect(early.status).toBe(404);
    expect(early.text).toContain('not set up this classroom yet');
    const teacher = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'teacher-2',
      roles: [INSTRUCTOR],
      resourceLinkId: 'fresh-link',
      resourceLinkTitle: 'Chemistry live',
    });
    const classroom = await aula.services.classrooms.get(teacher.classroomId);
    expect(classroom).toMatchObject({ title: 'Chemistry live', seatCap: 25, resourceLinkId: 'fresh-link' });
    const student = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'student-9',
      roles: [LEARNER],
      resourceLinkId: 'fresh-link',
    });
    expect(student.classroomId).toBe(teacher.classroomId);
  });

  it('shows a clear page when the school switched Aula off, for the platform or the deployment', async () => {
    const admin = { Authorization: `Bearer ${aula.adminToken.value}` };
    const { body } = await request(aula.url).get('/api/admin/overview').set(admin);
    const platformId = body.platforms[0].id as string;

    await request(aula.url)
      .patch(`/api/admin/platforms/${platformId}`)
      .set(admin)
      .send({ enabled: false })
      .expect(200);
    const offLogin = await new LtiBrowser(aula.url, platform).login(
      platform.defineLaunch({ roles: [LEARNER] }),
    );
    expect(offLogin.status).toBe(403);
    expect(offLogin.html).toContain('switched off');
    await request(aula.url)
      .patch(`/api/admin/platforms/${platformId}`)
      .set(admin)
      .send({ enabled: true })
      .expect(200);

    await request(aula.url)
      .patch(`/api/admin/platforms/${platformId}/deployments/${platform.deploymentId}`)
      .set(admin)
      .send({ enabled: false })
      .expect(200);
    const browser = new LtiBrowser(aula.url, platform);
    const atLogin = await browser.login(platform.defineLaunch({ roles: [LEARNER] }));
    expect(atLogin.status).toBe(403);
    expect(atLogin.html).toContain('switched off');
    // Platforms that do not name the deployment at login are stopped at the launch.
    const login = await browser.login(platform.defineLaunch({ roles: [LEARNER], resourceLinkId: 'rl-9' }), {
      lti_deployment_id: '',
    });
    const { id_token: idToken, state } = await browser.authorize(login.authUrl!);
    const launch = await browser.postLaunch(idToken, state);
    expect(launch.status).toBe(403);
    expect(launch.text).toContain('switched off');
    await request(aula.url)
      .patch(`/api/admin/platforms/${platformId}/deployments/${platform.deploymentId}`)
      .set(admin)
      .send({ enabled: true })
      .expect(200);
  });

  it('accepts launches signed with a rotated key without a restart', async () => {
    await platform.rotateKey();
    // This launch's unknown kid makes Aula refetch the keyset...
    await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'student-pre-rot',
      roles: [LEARNER],
      resourceLinkId: 'rl-9',
    });
    // ...so a second rotation right after arrives within the refetch cooldown, the case that once failed.
    await platform.rotateKey();
    const handoff = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'student-rot',
      roles: [LEARNER],
      resourceLinkId: 'rl-9',
    });
    expect(handoff.role).toBe('student');
  });
});
