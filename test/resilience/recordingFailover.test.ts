import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import type { Database } from '../../src/store/Database.js';
import type { ContextBrowser } from '../support/browser.js';
import { ClassroomClient } from '../support/classroomClient.js';
import { ffprobe } from '../support/ffprobe.js';
import { closeScene, everyPageReceives, openScene } from '../support/lessonScene.js';
import { haproxyInstalled, type LoadBalancer } from '../support/loadBalancer.js';
import { waitFor } from '../support/testAula.js';
import { TwoNodeCluster } from '../support/twoNodeCluster.js';

// A recorded lesson moves to another node (a drain): the first node closes its
// segments cleanly, the recording goes on from the other one with new segments
// in the same shared storage, and the manifest ties them together without overlap.

const haproxy = haproxyInstalled();

describe.skipIf(!haproxy)('a recording across nodes', { timeout: 240_000 }, () => {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-shared-recordings-'));
  let cluster: TwoNodeCluster;
  let nodes: TwoNodeCluster['nodes'];
  let balancer: LoadBalancer;
  let database: Database;
  let users: ContextBrowser;

  beforeAll(async () => {
    cluster = await TwoNodeCluster.start('recording-failover', {
      AULA_RECORDING: 'on',
      AULA_RECORDING_DIR: storage,
    });
    ({ nodes, balancer, database, users } = cluster);
  });

  afterAll(async () => {
    await cluster?.stop();
    fs.rmSync(storage, { recursive: true, force: true });
  });

  const token = (classroomId: string, who: { id: string; role: 'teacher' | 'student' }) =>
    cluster.token(classroomId, who);

  it('closes the segments on a drain and goes on recording on the other node, one consistent manifest', async () => {
    const classroomId = await cluster.createClassroom();
    await database.models.classrooms.updateOne({ _id: classroomId }, { $set: { recordingAllowed: true } });
    const host = {
      url: balancer.url,
      classroomId,
      token: (who: { id: string; role: 'teacher' | 'student' }) => token(classroomId, who),
    };
    const pages = await openScene(host, users);
    const served = await cluster.owner(classroomId);

    // The teacher starts it (from a second tab); Anna agrees on her page, Ben declines on his.
    const tab = await ClassroomClient.connect(
      balancer.url,
      await token(classroomId, { id: 'teacher', role: 'teacher' }),
      {
        classroomId,
      },
    );
    await tab.request('join');
    await tab.request('recording:start');
    tab.close();
    await pages.anna.page.getByTestId('consent-cameraAndMic').click();
    await pages.ben.page.getByTestId('consent-none').click();
    const recording = await waitFor(
      async () => (await database.models.recordings.findOne({ classroomId }).lean()) ?? undefined,
      {
        what: 'the recording',
      },
    );
    const segments = async () =>
      (await database.models.recordingSegments.find({ recordingId: recording._id }).lean()).sort((a, b) =>
        a._id.localeCompare(b._id),
      );
    const onDisk = (file: string) =>
      fs.statSync(path.join(storage, recording._id, file), { throwIfNoEntry: false })?.size ?? 0;
    // A file holds media once it passes 4 KB (a keyframe); a segment stopped right then may hold that
    // one frame and no duration, so each is given a second and a half of media after it.
    const heldSince = new Map<string, number>();
    const recordingFor = (file: string, ms: number) => {
      if (onDisk(file) <= 4_000) return false;
      if (!heldSince.has(file)) heldSince.set(file, Date.now());
      return Date.now() - heldSince.get(file)! >= ms;
    };
    // The teacher's and Anna's cameras record (Ben sends only his microphone, and declined).
    await waitFor(
      async () => {
        const now = await segments();
        return now.length === 2 && now.every((segment) => recordingFor(segment.file, 1_500));
      },
      { what: 'two cameras recorded on the first node', timeoutMs: 60_000 },
    );
    const first = await segments();

    const drainedAt = Date.now();
    expect(await nodes[served].stop('SIGTERM')).toBe(0);
    // The drained node closed its segments cleanly before it let the classroom go.
    for (const segment of await database.models.recordingSegments
      .find({ _id: { $in: first.map((s) => s._id) } })
      .lean()) {
      expect(segment.outcome).toBe('closed');
      expect(segment.endedAt!.getTime()).toBeGreaterThanOrEqual(drainedAt);
    }

    for (const page of Object.values(pages))
      await waitFor(async () => (await page.isInLesson()) && !(await page.isReconnecting()), {
        what: 'the page back in the lesson',
        timeoutMs: 30_000,
      });
    await everyPageReceives(pages, 30_000);
    // On the other node: the same recording, running, and new segments of the same two cameras.
    await waitFor(
      async () => {
        const now = await segments();
        return now.length === 4 && now.every((segment) => recordingFor(segment.file, 1_500));
      },
      { what: 'the cameras recorded again on the other node', timeoutMs: 60_000 },
    );
    expect(await database.models.recordings.findById(recording._id).lean()).toMatchObject({ endedAt: null });
    expect(await database.models.recordings.countDocuments({ classroomId })).toBe(1);
    // Anna is not asked again: her answer holds on the new node.
    expect(await pages.anna.page.getByTestId('recording-consent').count()).toBe(0);

    const stopper = await ClassroomClient.connect(
      balancer.url,
      await token(classroomId, { id: 'teacher', role: 'teacher' }),
      { classroomId },
    );
    await stopper.request('join');
    await stopper.request('recording:stop');
    stopper.close();

    // One manifest: per camera, two closed segments one after the other, both playable; nothing of Ben.
    const all = await segments();
    expect(new Set(all.map((s) => s.userKey))).toEqual(
      new Set([lmsUserKey('p', 'teacher'), lmsUserKey('p', 'anna')]),
    );
    for (const userKey of new Set(all.map((s) => s.userKey))) {
      const own = all
        .filter((s) => s.userKey === userKey)
        .sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
      expect(own).toHaveLength(2);
      expect(own.map((s) => s.outcome)).toEqual(['closed', 'closed']);
      expect(own[1]!.startedAt!.getTime()).toBeGreaterThanOrEqual(own[0]!.endedAt!.getTime());
      for (const segment of own) {
        const probed = await ffprobe(path.join(storage, recording._id, segment.file));
        expect(probed.codecs).toEqual(['vp8']);
        expect(probed.durationSeconds).toBeGreaterThan(0.5);
      }
    }
    expect(
      await database.models.recordingEvents.countDocuments({ recordingId: recording._id, type: 'gap' }),
    ).toBe(0);
    expect(await database.models.recordings.findById(recording._id).lean()).toMatchObject({
      endReason: 'teacher',
    });
    await closeScene(pages);
  });
});
