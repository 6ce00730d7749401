import crypto from 'node:crypto';
import { ClassroomService } from '../../src/classroom/ClassroomService.js';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/store/Database.js';
import { AulaProcess } from './aulaProcess.js';
import { launchUsers, type ContextBrowser } from './browser.js';
import { LoadBalancer } from './loadBalancer.js';
import { testDatabaseUri } from './testDatabase.js';

// Two Aula processes (own ports, own media ports) on one database behind
// Debian's HAProxy with production's routing rule, and a browser for their
// pages: what the cluster and the recording fail-over tests share.

export const NODE_IDS = ['aula1', 'aula2'] as const;
export type NodeId = (typeof NODE_IDS)[number];

export const otherNode = (id: NodeId): NodeId => (id === 'aula1' ? 'aula2' : 'aula1');

export class TwoNodeCluster {
  private constructor(
    readonly nodes: Record<NodeId, AulaProcess>,
    readonly balancer: LoadBalancer,
    readonly database: Database,
    readonly users: ContextBrowser,
  ) {}

  /** Starts both nodes with the same secret and database (`name` names the database) plus `env`. */
  static async start(name: string, env: Record<string, string>): Promise<TwoNodeCluster> {
    const uri = testDatabaseUri(name);
    const port = await LoadBalancer.port();
    const secret = crypto.randomBytes(32).toString('base64url');
    const nodes = {} as Record<NodeId, AulaProcess>;
    for (const id of NODE_IDS) {
      nodes[id] = await AulaProcess.create({
        MONGODB_URI: uri,
        AULA_SECRET: secret,
        AULA_NODE_ID: id,
        AULA_PUBLIC_URL: `http://127.0.0.1:${port}`,
        AULA_TRUST_PROXY: '1',
        ...env,
      });
    }
    await Promise.all(NODE_IDS.map((id) => nodes[id].start()));
    const balancer = await LoadBalancer.start(port, {
      aula1: new URL(nodes.aula1.url).host,
      aula2: new URL(nodes.aula2.url).host,
    });
    await balancer.waitForNodes([...NODE_IDS]);
    const database = await Database.connect(uri, createLogger({ level: 'silent' }));
    return new TwoNodeCluster(nodes, balancer, database, await launchUsers());
  }

  /** A join token both nodes accept (they share the secret). */
  async token(classroomId: string, who: { id: string; role: 'teacher' | 'student' }): Promise<string> {
    const minted = await this.nodes.aula1.token({
      sub: lmsUserKey('p', who.id),
      cid: classroomId,
      role: who.role,
      name: who.id,
      lms: who.id,
    });
    return minted.token;
  }

  async createClassroom(): Promise<string> {
    const classrooms = new ClassroomService(this.database.models, this.balancer.url);
    const classroom = await classrooms.create(
      { platformId: 'p', deploymentId: 'd', contextId: `c-${crypto.randomUUID()}` },
      { title: 'Physics', seatCap: 10 },
      lmsUserKey('p', 'teacher'),
    );
    return classroom._id;
  }

  /** The node whose lease holds the classroom. */
  async owner(classroomId: string): Promise<NodeId> {
    const lease = await this.database.models.roomLeases.findById(classroomId).lean();
    if (!lease) throw new Error('no node holds the classroom');
    return lease.nodeId as NodeId;
  }

  async stop(): Promise<void> {
    await this.users.close();
    await this.balancer.stop();
    for (const node of Object.values(this.nodes)) await node.dispose();
    await this.database.connection.dropDatabase().catch(() => undefined);
    await this.database.close();
  }
}
