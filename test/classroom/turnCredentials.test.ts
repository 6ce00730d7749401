import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTurnCredentials } from '../../src/classroom/turnCredentials.js';
import { CHROMIUM_ARGS, launchUsers, type ContextBrowser } from '../support/browser.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { HostNetwork, canBuildNetworks } from '../support/network/HostNetwork.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';
import { TurnServer, coturnInstalled } from '../support/turnServer.js';

// A school network that lets only TCP to the web server and to 443 out: a student's browser
// in a network namespace behind such rules still gets video, relayed by Debian's coturn over
// TLS, with short-lived credentials Aula minted for her page.

const runnable = coturnInstalled() && canBuildNetworks();
if (!runnable) {
  process.stderr.write('TURN tests skipped: they need root, nftables and coturn (npm test installs them)\n');
}

describe.skipIf(!runnable)('TURN for locked-down school networks', () => {
  let network: HostNetwork;
  let turn: TurnServer;
  let aula: TestAula;
  let users: ContextBrowser;
  let studentBrowser: Browser;

  beforeAll(async () => {
    network = HostNetwork.create();
    turn = await TurnServer.start(network.hostAddress);
    aula = await startTestAula({
      AULA_HOST: '0.0.0.0',
      AULA_RTC_LISTEN_IP: network.hostAddress,
      AULA_TURN_URLS: turn.url,
      AULA_TURN_SECRET: turn.secret,
      AULA_TURN_CREDENTIAL_TTL_SECONDS: '600',
    });
    // The school's firewall: the web server and the TURN server's TLS port, nothing else.
    network.allowOnlyTcp([aula.port, turn.tlsPort]);
    users = await launchUsers();
    studentBrowser = await chromium.launch({
      executablePath: network.chromiumLauncher(),
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        `--unsafely-treat-insecure-origin-as-secure=${studentUrl()}`,
        // Trusts the TURN server's certificate (a public authority's, in production) and no other.
        `--ignore-certificate-errors-spki-list=${turn.spki}`,
      ],
    });
  });

  afterAll(async () => {
    await studentBrowser?.close();
    await users?.close();
    await aula?.stop();
    await turn?.stop();
    network?.dispose();
  });

  const studentUrl = () => `http://${network.hostAddress}:${aula.port}`;

  it('mints credentials coturn accepts until they expire, and only under the shared secret', () => {
    const settings = { urls: [turn.url], secret: turn.secret, ttlSeconds: 600 };
    const fresh = mintTurnCredentials(settings);
    expect(fresh.urls).toEqual([turn.url]);
    expect(Number(fresh.username!.split(':')[0])).toBeCloseTo(Date.now() / 1000 + 600, -1);
    expect(turn.allocates(fresh.username!, fresh.credential!)).toBe(true);
    const expired = mintTurnCredentials(settings, Date.now() - 601_000);
    expect(turn.allocates(expired.username!, expired.credential!)).toBe(false);
    const forged = mintTurnCredentials({ ...settings, secret: 'not-the-shared-secret' });
    expect(turn.allocates(forged.username!, forged.credential!)).toBe(false);
  });

  it("relays the lesson's video both ways for a student whose network blocks UDP and the media ports", async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false, seatCap: 5 });
    const open = async (url: string, context: Awaited<ReturnType<ContextBrowser['newUser']>>, id: string) =>
      ClassroomPage.open(context, url, {
        token: await tokenFor(aula, classroom._id, { id, role: id === 'teacher' ? 'teacher' : 'student' }),
        expiresAt: Math.floor(Date.now() / 1000) + 600,
        classroomId: classroom._id,
        role: id === 'teacher' ? 'teacher' : 'student',
        name: id,
      });
    const teacher = await open(aula.url, await users.newUser(), 'teacher');
    await teacher.join({ camera: true });
    await teacher.page.getByTestId('start-lesson').click();
    await waitFor(() => teacher.isInLesson(), { what: 'the lesson', timeoutMs: 30_000 });

    const studentContext = await studentBrowser.newContext({ permissions: ['camera', 'microphone'] });
    const student = await open(studentUrl(), studentContext, 'mira');
    await student.join({ camera: true });
    await waitFor(() => student.isInLesson(), { what: 'the student in the lesson', timeoutMs: 30_000 });
    await student.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });
    // Her camera reaches the teacher as well: her sending transport uses the relay too.
    await teacher.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });
    // Her media comes through the relay both ways: nothing else gets out of her network.
    const types = await student.selectedCandidateTypes();
    expect(types.length).toBeGreaterThanOrEqual(2);
    expect(new Set(types)).toEqual(new Set(['relay']));
  });
});
