import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { WorkerPool, WorkerUsage } from '../media/WorkerPool.js';

export interface NodeStats {
  /** Live classrooms and connected participants, from the room registry. */
  rooms: number;
  participants: number;
  /** Classrooms whose lease this node holds: the rooms it serves, lesson or not. */
  leasesHeld: number;
  /** Leases another node took over, since start. */
  leasesLost: number;
  /** Rooms this node handed to another node (drain, lost lease), since start. */
  roomsMovedAway: number;
  draining: boolean;
  /** Nodes with a fresh heartbeat in the shared database, this one included. */
  nodesLive: number;
}

export interface MetricsSources {
  workerPool: WorkerPool;
  /** This node's rooms and its place among the nodes, read once per scrape. */
  nodeStats?: () => Promise<NodeStats>;
}

/**
 * A registry per Aula instance, so several instances in one test process do not
 * share gauges. It holds counts and resource usage only: no ids, names or
 * addresses, and no version strings (prom-client's `nodejs_version_info` would
 * tell a stranger which Node.js vulnerabilities to try).
 */
export function createMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aula_' });
  registry.removeSingleMetric('aula_nodejs_version_info');

  // One resource-usage query per scrape feeds all per-worker gauges.
  const usages = perScrape(() => sources.workerPool.usage());
  const perWorker = (name: string, help: string, pick: (usage: WorkerUsage) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['worker'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const usage of await usages()) this.set({ worker: String(usage.index) }, pick(usage));
      },
    });
  new Gauge({
    name: 'aula_media_workers_alive',
    help: 'mediasoup workers currently running',
    registers: [registry],
    collect() {
      this.set(sources.workerPool.aliveCount);
    },
  });
  perWorker(
    'aula_media_worker_cpu_seconds',
    'CPU time used by each mediasoup worker since it started',
    (u) => u.cpuSeconds,
  );
  perWorker('aula_media_worker_rss_bytes', 'Resident memory of each mediasoup worker', (u) => u.rssBytes);
  perWorker('aula_media_worker_participants', 'Participants whose media runs on each worker', (u) => u.load);

  // Likewise one read of the node's stats per scrape feeds every node gauge.
  const nodeStats = perScrape(async () => sources.nodeStats?.());
  const nodeGauge = (name: string, help: string, pick: (stats: NodeStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const stats = await nodeStats();
        this.set(stats ? pick(stats) : 0);
      },
    });
  nodeGauge('aula_rooms_live', 'Classrooms with a lesson in progress on this instance', (s) => s.rooms);
  nodeGauge('aula_participants_connected', 'Participants connected to this instance', (s) => s.participants);
  nodeGauge('aula_room_leases_held', 'Classrooms this node holds the lease of (serves)', (s) => s.leasesHeld);
  nodeGauge(
    'aula_room_leases_lost',
    'Leases another node took over since start (this node was thought gone)',
    (s) => s.leasesLost,
  );
  nodeGauge(
    'aula_rooms_moved_away',
    'Rooms handed to another node since start (drain or lost lease)',
    (s) => s.roomsMovedAway,
  );
  nodeGauge('aula_node_draining', '1 while this node shuts down and hands its rooms over', (s) =>
    Number(s.draining),
  );
  nodeGauge(
    'aula_cluster_nodes_live',
    'Aula nodes with a fresh heartbeat in the shared database, this one included',
    (s) => s.nodesLive,
  );
  return registry;
}

/**
 * One read shared by the gauges of a scrape: the registry collects them
 * concurrently, so they share the pending promise; the next scrape reads anew.
 */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let snapshot: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!snapshot || Date.now() - snapshot.at > 1000) snapshot = { at: Date.now(), value: read() };
    return snapshot.value;
  };
}
