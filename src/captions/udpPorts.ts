import dgram from 'node:dgram';

function bind(port: number): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

/**
 * An even UDP port on 127.0.0.1 that was free a moment ago, with the odd one
 * above it: RTP and RTCP for a receiver that binds both (ffmpeg's RTP input).
 */
export async function freeUdpPortPair(attempts = 20): Promise<number> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const first = await bind(0);
    if (!first) continue;
    const port = first.address().port;
    const rtp = port % 2 === 0 ? first : await bind(port + 1);
    const rtpPort = port % 2 === 0 ? port : port + 1;
    const rtcp = rtpPort + 1 <= 65_535 ? await bind(rtpPort + 1) : undefined;
    for (const socket of new Set([first, rtp, rtcp])) socket?.close();
    if (rtp && rtcp) return rtpPort;
  }
  throw new Error('No free UDP port pair on 127.0.0.1');
}
