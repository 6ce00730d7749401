import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestCertificate } from './certificate.js';

/**
 * HTTPS in front of a plain-http server on this machine, as a school's
 * reverse proxy is in front of Aula: requests and WebSocket upgrades are
 * passed on unchanged. `rewriteCookies` lets a test play a browser that reads
 * Set-Cookie differently (one that does not know an attribute).
 */
export class HttpsFront {
  /** The port of the server behind; set once it listens. */
  target = 0;
  rewriteCookies: ((cookie: string) => string) | undefined;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: https.Server) {}

  static async start(certificate: TestCertificate): Promise<HttpsFront> {
    const server = https.createServer({ key: certificate.key, cert: certificate.cert });
    const front = new HttpsFront(server);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => front.pass(req, res));
    server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) =>
      front.upgrade(req, socket, head),
    );
    server.on('connection', (socket: net.Socket) => {
      front.sockets.add(socket);
      socket.once('close', () => front.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return front;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  private pass(req: http.IncomingMessage, res: http.ServerResponse): void {
    const forwarded = http.request(
      {
        host: '127.0.0.1',
        port: this.target,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https' },
      },
      (answer) => {
        const headers = { ...answer.headers };
        if (this.rewriteCookies && headers['set-cookie'])
          headers['set-cookie'] = headers['set-cookie'].map(this.rewriteCookies);
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  }

  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const upstream = net.connect(this.target, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    upstream.on('close', close);
    socket.on('error', close);
    socket.on('close', close);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
