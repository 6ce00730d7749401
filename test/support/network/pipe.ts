import net from 'node:net';

/** A server whose every connection is piped both ways to a new connection from `connect`. */
export function pipingServer(connect: () => net.Socket): net.Server {
  return net.createServer((incoming) => {
    const outgoing = connect();
    incoming.pipe(outgoing).pipe(incoming);
    const end = () => {
      incoming.destroy();
      outgoing.destroy();
    };
    incoming.on('error', end).on('close', end);
    outgoing.on('error', end).on('close', end);
  });
}
