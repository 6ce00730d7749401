import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterNode } from '../../src/classroom/placement/ClusterNode.js';
import { NodeDirectory, type NodeLoad } from '../../src/classroom/placement/NodeDirectory.js';
import { RoomLeases } from '../../src/classroom/placement/RoomLeases.js';
import { RoomPlacement } from '../../src/classroom/placement/RoomPlacement.js';
import { randomId } from '../../src/shared/ids.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/store/Database.js';
import { testDatabaseUri } from '../support/testDatabase.js';
import { waitFor } from '../support/testAula.js';

// Nodes as each Aula process has them (a directory entry, leases, placement), each
// on its own connection to one database. Short leases, so expiry is quick to watch.

const LEASE_MS = 1_500;
const uri = testDatabaseUri('placement');
const logger = createLogger({ level: 'silent' });
const connections: Database[] = [];

beforeAll(async () => {
  connections.push(await Database.connect(uri, logger));
  await connections[0]!.syncIndexes();
});

afterAll(async () => {
  await connections[0]?.connection.dropDatabase().catch(() => undefined);
  for (const database of connections) await database.close();
});

const idle: NodeLoad = { rooms: 0, participants: 0, capacity: 120, workersAlive: 1 };

/**
 * A node of its own: own connection, directory entry, leases and placement, registered with
 * `load`; a node that `beats: false` registers once and then neither beats nor renews (it died).
 */
async function startNode(id: string, load: NodeLoad = idle, { beats = true } = {}) {
  const database = await Database.connect(uri, logger);
  connections.push(database);
  let current = load;
  const directory = new NodeDirectory(
    database.models,
    { id, publicUrl: 'https://aula.example', mediaAddress: '192.0.2.1' },
    { staleAfterMs: LEASE_MS },
    logger,
  );
  const leases = new RoomLeases(database.models, { leaseMs: LEASE_MS });
  const placement = new RoomPlacement(directory, leases, logger);
  const cluster = new ClusterNode(directory, leases, placement, async () => current, { beatMs: 200 }, logger);
  if (beats) await cluster.start();
  else await directory.register(load);
  return {
    id,
    cluster,
    placement,
    leases,
    setLoad(load: NodeLoad) {
      current = load;
    },
  };
}

const nodeId = () => `n-${randomId(4)}`;
const classroom = () => `c-${randomId(6)}`;

describe('room placement', () => {
  it('places a new classroom on the live node with the fewest participants for its capacity', async () => {
    const busy = await startNode(nodeId(), { rooms: 2, participants: 60, capacity: 120, workersAlive: 1 });
    const bigger = await startNode(nodeId(), { rooms: 3, participants: 60, capacity: 240, workersAlive: 1 });
    const id = classroom();
    // The busy node decides, and the classroom goes to the other one.
    expect(await busy.cluster.admit(id)).toEqual({ here: false, nodeId: bigger.id });
    // Whoever asks next is sent there too, and there it is at home.
    expect(await busy.cluster.admit(id)).toEqual({ here: false, nodeId: bigger.id });
    expect(await bigger.cluster.admit(id)).toMatchObject({ here: true });
    await busy.cluster.stop();
    await bigger.cluster.stop();
  });

  it('spreads rooms that start at the same moment over idle nodes', async () => {
    const a = await startNode(nodeId());
    const b = await startNode(nodeId());
    const placed = [];
    for (let i = 0; i < 4; i++) {
      const placement = await a.placement.place(classroom());
      placed.push(placement.here ? a.id : placement.nodeId);
    }
    expect(placed.filter((id) => id === a.id)).toHaveLength(2);
    expect(placed.filter((id) => id === b.id)).toHaveLength(2);
    await a.cluster.stop();
    await b.cluster.stop();
  });

  it('places nothing on a draining node or on one without media workers', async () => {
    const draining = await startNode(nodeId());
    const workerless = await startNode(nodeId(), { ...idle, workersAlive: 0 });
    const healthy = await startNode(nodeId(), { ...idle, participants: 100 });
    await draining.cluster.drain();
    for (let i = 0; i < 3; i++) {
      expect(await draining.cluster.admit(classroom())).toEqual({ here: false, nodeId: healthy.id });
    }
    for (const node of [draining, workerless, healthy]) await node.cluster.stop();
  });

  it('moves the classrooms of a node that stopped renewing once its leases expired', async () => {
    // It takes a classroom and dies: no more heartbeats or renewals, nothing released.
    const dying = await startNode(nodeId(), idle, { beats: false });
    const survivor = await startNode(nodeId(), { ...idle, participants: 50 });
    const id = classroom();
    expect(await dying.cluster.admit(id)).toMatchObject({ here: true });
    expect(await survivor.cluster.admit(id)).toEqual({ here: false, nodeId: dying.id });
    await waitFor(async () => (await survivor.cluster.admit(id)).here, {
      what: 'the survivor to take the classroom',
      timeoutMs: LEASE_MS * 3,
    });
    await survivor.cluster.stop();
  });

  it('tells a node whose lease another node took that the room must go, naming the new holder', async () => {
    const slow = await startNode(nodeId());
    const other = await startNode(nodeId());
    const id = classroom();
    await slow.cluster.admit(id);
    const lost = new Promise<string | undefined>((resolve) =>
      slow.cluster.once('leaseLost', (classroomId, holder) => classroomId === id && resolve(holder)),
    );
    // The other node took it over (as after the slow node missed its renewals).
    await other.leases.release(id, (await other.leases.current(id))!.token);
    await other.leases.acquire(id, other.id);
    expect(await lost).toBe(other.id);
    expect(slow.cluster.leaseCount).toBe(0);
    await slow.cluster.stop();
    await other.cluster.stop();
  });

  it('keeps a classroom whose lease ran out while nobody else took it', async () => {
    const node = await startNode(nodeId());
    const id = classroom();
    const first = await node.cluster.admit(id);
    // Gone from the database (as if swept while the database was away): the next heartbeat takes it back.
    await node.leases.release(id, first.here ? first.token : '');
    let lost = false;
    node.cluster.on('leaseLost', () => (lost = true));
    await waitFor(async () => (await node.leases.current(id))?.nodeId === node.id, {
      what: 'the lease taken back',
    });
    expect(lost).toBe(false);
    expect(node.cluster.leaseCount).toBe(1);
    await node.cluster.stop();
  });

  it('hands a draining node’s classroom to another node and releases the rest on stop', async () => {
    const leaving = await startNode(nodeId());
    const staying = await startNode(nodeId(), { ...idle, participants: 10 });
    const moved = classroom();
    const kept = classroom();
    await leaving.cluster.admit(moved);
    await leaving.cluster.admit(kept);
    expect(await leaving.cluster.drain()).toBe(true);
    expect(await leaving.cluster.handOver(moved)).toBe(staying.id);
    expect(await staying.cluster.admit(moved)).toMatchObject({ here: true });
    await leaving.cluster.stop();
    expect(await leaving.leases.current(kept)).toBeUndefined();
    await staying.cluster.stop();
  });
});
