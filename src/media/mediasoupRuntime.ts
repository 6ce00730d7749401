import type * as Mediasoup from 'mediasoup';

let runtime: Promise<typeof Mediasoup> | undefined;

/**
 * mediasoup reads MEDIASOUP_WORKER_BIN once, when its module loads, so the
 * module is loaded here, after configuration is known, never imported eagerly.
 */
export function loadMediasoup(workerBin: string | undefined): Promise<typeof Mediasoup> {
  if (workerBin && !process.env.MEDIASOUP_WORKER_BIN) process.env.MEDIASOUP_WORKER_BIN = workerBin;
  runtime ??= import('mediasoup');
  return runtime;
}
