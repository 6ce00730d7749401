// Aula inside a test network namespace, as a child process of the test: the
// test (outside) creates classrooms and join tokens over IPC, and reaches
// what listens on the namespace's loopback (a browser's remote-control port)
// through Unix sockets, which cross namespaces.
import net from 'node:net';
import { createClassroom, tokenFor } from '../classroomFixtures.js';
import { startTestAula, type TestAula } from '../testAula.js';
import { pipingServer } from './pipe.js';

export type AgentCommand =
  | { id: number; type: 'classroom'; settings: Parameters<typeof createClassroom>[1] }
  | {
      id: number;
      type: 'token';
      classroomId: string;
      who: { id: string; role: 'teacher' | 'student' | 'guest'; name?: string };
    }
  | { id: number; type: 'forward'; port: number; socketPath: string }
  | { id: number; type: 'stop' };

export type AgentReply =
  | { type: 'ready'; url: string }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };

const env = JSON.parse(process.env.AULA_AGENT_ENV ?? '{}') as Record<string, string>;
const aula: TestAula = await startTestAula({ AULA_HOST: '0.0.0.0', ...env });
const forwards: net.Server[] = [];

/** Connections to the Unix socket go on to a port on this namespace's loopback. */
function forward(port: number, socketPath: string): Promise<void> {
  const server = pipingServer(() => net.connect({ port, host: '127.0.0.1' }));
  forwards.push(server);
  return new Promise((resolve, reject) => server.once('error', reject).listen(socketPath, () => resolve()));
}

async function run(command: AgentCommand): Promise<unknown> {
  switch (command.type) {
    case 'classroom':
      return (await createClassroom(aula, command.settings))._id;
    case 'token':
      return tokenFor(aula, command.classroomId, command.who);
    case 'forward':
      return forward(command.port, command.socketPath);
    case 'stop':
      for (const server of forwards) server.close();
      await aula.stop();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (command: AgentCommand) => {
  run(command).then(
    (value) => process.send!({ id: command.id, ok: true, value } satisfies AgentReply),
    (error: unknown) =>
      process.send!({
        id: command.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies AgentReply),
  );
});
// The test went away without stopping us: nothing may outlive it.
process.on('disconnect', () => void aula.stop().finally(() => process.exit(0)));
process.send!({ type: 'ready', url: aula.url } satisfies AgentReply);
