import type { types } from 'mediasoup';
import type { PooledWorker } from './WorkerPool.js';

/** A classroom's router on one worker; a large classroom has several, joined by pipe transports. */
export interface RoomRouter {
  pooled: PooledWorker;
  router: types.Router;
  participants: number;
  speakerObserver: types.ActiveSpeakerObserver;
}
