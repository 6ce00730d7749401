import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, launchUsers, type ContextBrowser } from '../support/browser.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { HostNetwork, canBuildNetworks } from '../support/network/HostNetwork.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

// A student's Wi-Fi drops for ten seconds during a lesson: first only her
// signalling (the browser offline), then everything (her network namespace
// drops all packets). Her page must come back by itself with her camera.

const CUT_MS = 10_000;
const networkTests = canBuildNetworks();

describe.skipIf(!networkTests)('a student whose network drops', () => {
  let network: HostNetwork;
  let aula: TestAula;
  let users: ContextBrowser;
  let studentBrowser: Browser;

  beforeAll(async () => {
    network = HostNetwork.create();
    aula = await startTestAula({
      AULA_HOST: '0.0.0.0',
      AULA_RTC_LISTEN_IP: network.hostAddress,
    });
    users = await launchUsers();
    // The student's Chromium runs inside the namespace and reaches Aula at the pair's address,
    // which is not localhost: the camera needs that origin treated as secure.
    studentBrowser = await chromium.launch({
      executablePath: network.chromiumLauncher(),
      headless: true,
      args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${studentUrl()}`],
    });
  });

  afterAll(async () => {
    await studentBrowser?.close();
    await users?.close();
    await aula?.stop();
    network?.dispose();
  });

  const studentUrl = () => `http://${network.hostAddress}:${aula.port}`;

  async function page(
    url: string,
    context: Awaited<ReturnType<ContextBrowser['newUser']>>,
    classroomId: string,
    who: { id: string; role: 'teacher' | 'student' },
  ) {
    const token = await tokenFor(aula, classroomId, who);
    return ClassroomPage.open(context, url, {
      token,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
      classroomId,
      role: who.role,
      name: who.id,
    });
  }

  it('brings her page back with seat, hand and camera, in one attendance interval', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false, seatCap: 5 });
    const teacher = await page(aula.url, await users.newUser(), classroom._id, {
      id: 'teacher',
      role: 'teacher',
    });
    await teacher.join({ camera: true });
    await teacher.page.getByTestId('start-lesson').click();
    await waitFor(() => teacher.isInLesson(), { what: 'the lesson', timeoutMs: 30_000 });

    const studentContext = await studentBrowser.newContext({ permissions: ['camera', 'microphone'] });
    const student = await page(studentUrl(), studentContext, classroom._id, { id: 'lena', role: 'student' });
    await student.join({ camera: true });
    await waitFor(() => student.isInLesson(), { what: 'the student in the lesson', timeoutMs: 30_000 });
    await student.page.getByTestId('toggle-hand').click();
    await teacher.receivesMedia({ videoStreams: 1, audio: false });
    await student.receivesMedia({ videoStreams: 1, audio: false });
    const room = (await aula.services.rooms.peek(classroom._id))!;
    const lena = () => {
      const found = room.ctx.roster.inLesson().find((p) => p.userKey.endsWith(':lena'));
      return found && { ...room.views.info(found), state: found.state };
    };
    await waitFor(() => lena()?.handRaisedAt, { what: 'her hand up' });
    const { id: participantId, handRaisedAt } = lena()!;

    // Signalling alone: the browser goes offline, WebRTC stays.
    await studentContext.setOffline(true);
    await waitFor(() => student.isReconnecting(), { what: 'her page to notice', timeoutMs: CUT_MS });
    await new Promise((resolve) => setTimeout(resolve, CUT_MS - 2_000));
    await studentContext.setOffline(false);
    await waitFor(async () => !(await student.isReconnecting()) && (await student.isInLesson()), {
      what: 'her page back',
      timeoutMs: 8_000,
    });
    await teacher.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 3_000 });

    // Everything: her namespace drops every packet for ten seconds.
    network.cut();
    await waitFor(() => student.isReconnecting(), { what: 'her page to notice the cut', timeoutMs: CUT_MS });
    await new Promise((resolve) => setTimeout(resolve, CUT_MS - 3_000));
    network.restore();
    const back = Date.now();
    await waitFor(async () => !(await student.isReconnecting()) && (await student.isInLesson()), {
      what: 'her page back after the cut',
      timeoutMs: 8_000,
    });
    await teacher.receivesMedia({
      videoStreams: 1,
      audio: false,
      timeoutMs: Math.max(3_000, back + 5_000 - Date.now()),
    });
    await student.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 5_000 });

    // The same participant: seat, hand and place kept; one interval, the gaps recorded.
    expect(lena()).toMatchObject({ id: participantId, handRaisedAt, state: 'joined' });
    await aula.services.writes.settled();
    const intervals = (await aula.services.attendance.intervals(room.lessonId!)).filter((i) =>
      i.userKey.endsWith(':lena'),
    );
    expect(intervals).toHaveLength(1);
    expect(intervals[0]!.leftAt).toBeUndefined();
    expect(intervals[0]!.gaps?.length).toBeGreaterThanOrEqual(1);
  });
});
