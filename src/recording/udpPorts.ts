import dgram from 'node:dgram';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** An even UDP port on 127.0.0.1 that was free a moment ago, with the next one (ffmpeg's RTCP) free too. */
export async function freeRtpPorts(): Promise<{ rtp: number; rtcp: number }> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await anyPort();
    const rtp = port % 2 === 0 ? port : port - 1;
    if (rtp > 1024 && (await bindable(rtp)) && (await bindable(rtp + 1))) return { rtp, rtcp: rtp + 1 };
  }
  throw new Error('freeRtpPorts() | no pair of free UDP ports');
}

/** Whether some process (ffmpeg) listens on a UDP port of 127.0.0.1 now. */
export async function isBound(port: number): Promise<boolean> {
  return !(await bindable(port));
}
