import { PlatformSimulator, type LaunchSpec } from '../platformSimulator.js';
import { startTestAula, type TestAula } from '../testAula.js';
import { testCertificate, type TestCertificate } from './certificate.js';
import { HttpsFront } from './HttpsFront.js';
import { moodleCoursePages } from './moodleCourse.js';

/** Two sites, as a school runs them: its Moodle, and Aula somewhere else. */
export const LMS_HOST = 'moodle.school-lms.test';
export const TOOL_HOST = 'aula.tool-host.test';

export interface MoodleScene {
  aula: TestAula;
  platform: PlatformSimulator;
  /** The HTTPS in front of Aula (a test can make it play a browser that ignores a cookie attribute). */
  aulaFront: HttpsFront;
  certificate: TestCertificate;
  aulaUrl: string;
  platformId: string;
  /** The classroom the course page's activity opens (resource link `link-1`), set up by its teacher before. */
  classroomId: string;
  /** The course page that embeds Aula for one person's launch. */
  coursePage(spec: LaunchSpec, options?: { allow?: 'moodle' | 'none' }): string;
  close(): Promise<void>;
}

/**
 * Moodle and Aula on different sites over HTTPS with a certificate of the
 * test's own: browsers reach both names on this machine (Chromium's
 * --host-resolver-rules, Firefox's network.dns.forceResolve) and trust the
 * certificate (its SPKI hash, or acceptInsecureCerts). Aula is registered
 * manually, as an admin does for Moodle; Aula fetches the platform's keyset
 * on this machine's own address.
 */
export async function startMoodleScene(): Promise<MoodleScene> {
  const certificate = testCertificate([LMS_HOST, TOOL_HOST]);
  const aulaFront = await HttpsFront.start(certificate);
  const aulaUrl = `https://${TOOL_HOST}:${aulaFront.port}`;
  const aula = await startTestAula({ AULA_PUBLIC_URL: aulaUrl });
  aulaFront.target = aula.port;
  const platform = await PlatformSimulator.start();
  const lmsFront = await HttpsFront.start(certificate);
  lmsFront.target = Number(new URL(platform.localUrl).port);
  platform.url = `https://${LMS_HOST}:${lmsFront.port}`;
  platform.clientId = 'aula-in-moodle';
  platform.pages = moodleCoursePages(platform, aulaUrl);
  const registered = await aula.lti.platforms.register(
    {
      issuer: platform.url,
      clientId: platform.clientId,
      name: 'School Moodle',
      authenticationEndpoint: `${platform.url}/auth`,
      accessTokenEndpoint: `${platform.localUrl}/token`,
      keysetUrl: `${platform.localUrl}/jwks`,
      deployments: [platform.deploymentId],
    },
    'manual',
  );
  const classroom = await aula.services.classrooms.create(
    {
      platformId: registered._id,
      deploymentId: platform.deploymentId,
      contextId: 'course-1',
      contextTitle: 'Biology 7b',
      resourceLinkId: 'link-1',
    },
    { title: 'Live lesson', seatCap: 25 },
    'teacher-of-biology',
  );
  return {
    aula,
    platform,
    aulaFront,
    certificate,
    aulaUrl,
    platformId: registered._id,
    classroomId: classroom._id,
    coursePage(spec, options = {}) {
      const query = new URLSearchParams({ hint: platform.defineLaunch(spec) });
      if (options.allow === 'none') query.set('allow', 'none');
      return `${platform.url}/mod/lti/view.php?${query}`;
    },
    async close() {
      await platform.close();
      await lmsFront.close();
      await aula.stop();
      await aulaFront.close();
    },
  };
}
