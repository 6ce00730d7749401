import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ClassroomService } from '../../src/classroom/ClassroomService.js';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/store/Database.js';
import { startLocalDatabase } from '../../src/store/localDatabaseServer.js';
import { AulaProcess } from '../../test/support/aulaProcess.js';
import { CHROMIUM_ARGS, launchUsers } from '../../test/support/browser.js';
import { createClassroom, tokenFor } from '../../test/support/classroomFixtures.js';
import { closeScene, everyPageReceives, openScene, type ScenePages } from '../../test/support/lessonScene.js';
import { HostNetwork, canBuildNetworks } from '../../test/support/network/HostNetwork.js';
import { startTestAula, waitFor, type TestAula } from '../../test/support/testAula.js';
import { benchDatabase, round } from '../environment.js';
import type { Benchmark } from '../run.js';

const CUT_MS = 10_000;
const OUTAGE_MS = 30_000;

/** Seconds from `since` until every page of the scene receives media again. */
async function mediaBack(pages: ScenePages, since: number): Promise<number> {
  await everyPageReceives(pages, 60_000);
  return round((Date.now() - since) / 1000);
}

/** A worker killed and a student's network cut, in an Aula of this process. */
async function inProcessFaults(uri: string) {
  const network = canBuildNetworks() ? HostNetwork.create() : undefined;
  const aula = await startTestAula({
    MONGODB_URI: uri,
    ...(network ? { AULA_HOST: '0.0.0.0', AULA_RTC_LISTEN_IP: network.hostAddress } : {}),
  });
  const users = await launchUsers();
  const annaUrl = network ? `http://${network.hostAddress}:${aula.port}` : aula.url;
  const annaBrowser = network
    ? await chromium.launch({
        executablePath: network.chromiumLauncher(),
        headless: true,
        args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${annaUrl}`],
      })
    : undefined;
  try {
    const host = async (settings: { lobbyEnabled: boolean }) => {
      const classroom = await createClassroom(aula, settings);
      return {
        url: aula.url,
        classroomId: classroom._id,
        token: (who: { id: string; role: 'teacher' | 'student' }) => tokenFor(aula, classroom._id, who),
      };
    };
    let pages = await openScene(await host({ lobbyEnabled: false }), users, { annaBrowser, annaUrl });
    aula.workerPool.killWorker(0);
    const killedAt = Date.now();
    const workerKill = await mediaBack(pages, killedAt);
    await closeScene(pages);

    let networkDrop: number | string = 'not measured: network namespaces need root, iproute2 and nftables';
    if (network) {
      pages = await openScene(await host({ lobbyEnabled: false }), users, { annaBrowser, annaUrl });
      network.cut();
      await new Promise((resolve) => setTimeout(resolve, CUT_MS));
      network.restore();
      networkDrop = await mediaBack(pages, Date.now());
      await closeScene(pages);
    }
    return { workerKill, networkDrop };
  } finally {
    await annaBrowser?.close();
    await users.close();
    await aula.close();
    network?.dispose();
  }
}

/** The Aula process stopped with SIGTERM, then killed, and started again each time. */
async function restarts(uri: string) {
  const aula = await AulaProcess.create({ MONGODB_URI: uri });
  await aula.start();
  const database = await Database.connect(uri, createLogger({ level: 'silent' }));
  const users = await launchUsers();
  const result: Record<string, number> = {};
  try {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const classroom = await new ClassroomService(database.models, aula.url).create(
        { platformId: 'p', deploymentId: 'd', contextId: `bench-${signal}` },
        { title: 'Recovery', seatCap: 10 },
        lmsUserKey('p', 'teacher'),
      );
      const token = async (who: { id: string; role: 'teacher' | 'student' }) =>
        (await aula.token({ sub: lmsUserKey('p', who.id), cid: classroom._id, role: who.role, name: who.id }))
          .token;
      const pages = await openScene({ url: aula.url, classroomId: classroom._id, token }, users);
      await aula.stop(signal);
      await aula.start();
      result[signal] = await mediaBack(pages, Date.now());
      await closeScene(pages);
    }
    return result;
  } finally {
    await users.close();
    await database.close();
    await aula.dispose();
  }
}

/** The database paused for 30 s: how long media stalled (it should not) and how long writes took to catch up. */
async function databaseOutage() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-bench-outage-'));
  const database = await startLocalDatabase({
    dataDir,
    ferretdbBin: process.env.AULA_FERRETDB_BIN,
    logger: createLogger({ level: 'silent' }),
  });
  let aula: TestAula | undefined;
  const users = await launchUsers();
  try {
    if (!database.pid) return { note: 'not measured: needs the embedded FerretDB (unset MONGODB_URI)' };
    aula = await startTestAula({ MONGODB_URI: `${database.uri}/aula_bench_outage` });
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const pages = await openScene(
      {
        url: aula.url,
        classroomId: classroom._id,
        token: (who) => tokenFor(aula!, classroom._id, who),
      },
      users,
    );
    process.kill(database.pid, 'SIGSTOP');
    const pausedAt = Date.now();
    let longestStall = 0;
    while (Date.now() - pausedAt < OUTAGE_MS) {
      const stalled = Date.now();
      await everyPageReceives(pages, OUTAGE_MS);
      longestStall = Math.max(longestStall, Date.now() - stalled);
    }
    process.kill(database.pid, 'SIGCONT');
    const resumedAt = Date.now();
    await waitFor(async () => (await fetch(`${aula!.url}/readyz`)).status === 200, { timeoutMs: 30_000 });
    await aula.services.writes.settled();
    const caughtUp = round((Date.now() - resumedAt) / 1000);
    await closeScene(pages);
    return { longestMediaCheckSeconds: round(longestStall / 1000), writesCaughtUpSeconds: caughtUp };
  } finally {
    if (database.pid) process.kill(database.pid, 'SIGCONT');
    await users.close();
    await aula?.close();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * How long a lesson in real browsers (a teacher with camera, a student with
 * camera, one with microphone) takes to have media on every page again after
 * each fault the resilience tests inject.
 */
export const recovery: Benchmark = {
  name: 'recovery',
  description: 'seconds until media flows on every page again after each fault',
  async run() {
    const db = await benchDatabase();
    try {
      const inProcess = await inProcessFaults(db.uri(`aula_bench_recovery_${Date.now()}`));
      const restart = await restarts(db.uri(`aula_bench_restart_${Date.now()}`));
      const outage = await databaseOutage();
      const results = {
        goals: {
          workerKill: '≤ 5 s',
          networkDrop: '≤ 3 s after the network is back',
          restart: '≤ 10 s after the server is ready',
          databaseOutage: 'media never stops',
        },
        workerKillSeconds: inProcess.workerKill,
        networkDropSeconds: inProcess.networkDrop,
        sigtermRestartSeconds: restart.SIGTERM,
        sigkillRestartSeconds: restart.SIGKILL,
        databaseOutage: outage,
      };
      return {
        settings: { cutSeconds: CUT_MS / 1000, outageSeconds: OUTAGE_MS / 1000 },
        results,
        summary:
          `worker kill ${inProcess.workerKill} s, network drop ${inProcess.networkDrop} s, ` +
          `SIGTERM ${restart.SIGTERM} s, SIGKILL ${restart.SIGKILL} s after ready, ` +
          `database outage ${JSON.stringify(outage)}`,
      };
    } finally {
      await db.stop();
    }
  },
};
