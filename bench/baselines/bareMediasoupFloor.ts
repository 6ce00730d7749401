import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Page } from 'playwright-core';
import { mediaCodecs } from '../../src/media/mediaCodecs.js';
import type { TestBrowser } from '../../test/support/browser.js';
import { pageBundle } from '../../test/support/pageBundle.js';

const entry = fileURLToPath(new URL('./browser/floorEntry.ts', import.meta.url));

/** The page's global, as floorEntry.ts installs it. */
declare const window: {
  floor: { publishCamera(width: number, height: number): Promise<void>; timeToFirstFrame(): Promise<number> };
};

/**
 * The join-time floor: one mediasoup router in this process and pages whose
 * signalling is a direct function call into it. What remains is WebRTC
 * itself (ICE, DTLS, the first keyframe, decoding), which Aula cannot beat.
 */
export async function startBareFloor(browser: TestBrowser) {
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  const router = await worker.createRouter({ mediaCodecs });
  const transports = new Map<string, types.WebRtcTransport>();
  const consumers = new Map<string, types.Consumer>();
  let cameraId: string | undefined;

  const calls: Record<string, (payload: Record<string, unknown>) => Promise<unknown> | unknown> = {
    routerCapabilities: () => router.rtpCapabilities,
    async createTransport() {
      const transport = await router.createWebRtcTransport({
        listenIps: [{ ip: '127.0.0.1' }],
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
      });
      transports.set(transport.id, transport);
      const { id, iceParameters, iceCandidates, dtlsParameters } = transport;
      return { id, iceParameters, iceCandidates, dtlsParameters };
    },
    connect: ({ transportId, dtlsParameters }) =>
      transports
        .get(transportId as string)!
        .connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }),
    async produce({ transportId, kind, rtpParameters }) {
      const producer = await transports.get(transportId as string)!.produce({
        kind: kind as types.MediaKind,
        rtpParameters: rtpParameters as types.RtpParameters,
      });
      cameraId = producer.id;
      return { id: producer.id };
    },
    async consume({ transportId, rtpCapabilities }) {
      const consumer = await transports.get(transportId as string)!.consume({
        producerId: cameraId!,
        rtpCapabilities: rtpCapabilities as types.RtpCapabilities,
        paused: true,
      });
      consumers.set(consumer.id, consumer);
      return {
        id: consumer.id,
        producerId: cameraId,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters,
      };
    },
    resume: ({ consumerId }) => consumers.get(consumerId as string)!.resume(),
  };

  // A secure-context origin for getUserMedia; the page needs nothing from it.
  const origin = http.createServer((_req, res) => res.end('<!doctype html><title>floor</title>'));
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/`;

  async function openPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.exposeFunction('floorCall', (method: string, payload: Record<string, unknown>) => {
      const handler = calls[method];
      if (!handler) throw new Error(`unknown floor call ${method}`);
      return handler(payload);
    });
    await page.goto(originUrl);
    await page.addScriptTag({ content: await pageBundle(entry) });
    return page;
  }

  const teacher = await openPage();

  return {
    async publishCamera(width: number, height: number): Promise<void> {
      await teacher.evaluate(([w, h]) => window.floor.publishCamera(w!, h!), [width, height]);
    },
    /** One viewer joins in a fresh page, is measured and leaves. */
    async timeToFirstFrame(): Promise<number> {
      const viewer = await openPage();
      try {
        return await viewer.evaluate(() => window.floor.timeToFirstFrame());
      } finally {
        await viewer.close();
      }
    },
    async close(): Promise<void> {
      await teacher.close();
      worker.close();
      origin.closeAllConnections();
      await new Promise<void>((resolve) => origin.close(() => resolve()));
    },
  };
}
