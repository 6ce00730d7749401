// Runs inside headless Chromium: the join-time floor. mediasoup-client and
// the same camera encodings as the classroom page, with signalling by direct
// calls into the benchmark (page.exposeFunction): no socket, no auth, no database.
import { Device, type types } from 'mediasoup-client';
import { cameraEncodings, cameraLayers } from '../../../client/src/media/encodings';

interface TransportInfo {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

declare global {
  interface Window {
    floorCall(method: string, payload: unknown): Promise<unknown>;
  }
}

const call = <T>(method: string, payload: unknown = {}) => window.floorCall(method, payload) as Promise<T>;

async function loadDevice(): Promise<Device> {
  const device = await Device.factory();
  await device.load({ routerRtpCapabilities: await call<types.RtpCapabilities>('routerCapabilities') });
  return device;
}

async function transport(device: Device, direction: 'send' | 'recv'): Promise<types.Transport> {
  const info = await call<TransportInfo>('createTransport');
  const created = direction === 'send' ? device.createSendTransport(info) : device.createRecvTransport(info);
  created.on('connect', ({ dtlsParameters }, done, fail) => {
    call('connect', { transportId: created.id, dtlsParameters }).then(() => done(), fail);
  });
  created.on('produce', ({ kind, rtpParameters }, done, fail) => {
    call<{ id: string }>('produce', { transportId: created.id, kind, rtpParameters }).then(done, fail);
  });
  return created;
}

const floor = {
  async publishCamera(width: number, height: number): Promise<void> {
    const device = await loadDevice();
    const send = await transport(device, 'send');
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width, height, frameRate: 20 } });
    await send.produce({
      track: stream.getVideoTracks()[0]!,
      encodings: cameraEncodings(cameraLayers(height), height),
      codecOptions: { videoGoogleStartBitrate: 300 },
    });
  },

  /** Milliseconds from the first call to the first decoded frame of the published camera. */
  async timeToFirstFrame(): Promise<number> {
    const started = performance.now();
    const device = await loadDevice();
    const recv = await transport(device, 'recv');
    const options = await call<types.ConsumerOptions>('consume', {
      transportId: recv.id,
      rtpCapabilities: device.recvRtpCapabilities,
    });
    const consumer = await recv.consume(options);
    // Chromium decodes only tracks that have a sink.
    const video = document.createElement('video');
    video.autoplay = true;
    video.muted = true;
    video.srcObject = new MediaStream([consumer.track]);
    document.body.append(video);
    await call('resume', { consumerId: consumer.id });
    for (;;) {
      const stats = await consumer.getStats();
      for (const report of stats.values()) {
        if (report.type === 'inbound-rtp' && (report as { framesDecoded?: number }).framesDecoded) {
          return performance.now() - started;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  },
};

(window as unknown as { floor: typeof floor }).floor = floor;
