// The launch storm's load: the test platform (which signs every id_token) and
// the HTTP clients, in a child process so that what the parent measures is the
// tool's own work. Driven over IPC by bench/scenarios/launchStorm.ts.
import { LtiBrowser } from '../../test/support/ltiBrowser.js';
import { PlatformSimulator, type LaunchSpec } from '../../test/support/platformSimulator.js';
import { serveParent } from '../BenchChild.js';

export type Tool = 'aula' | 'ltijs';

export type LaunchLoadCommand =
  | { type: 'register'; registrationUrl: string }
  | { type: 'useClient'; clientId: string }
  | {
      type: 'storm';
      tool: Tool;
      toolUrl: string;
      size: number;
      role: 'Learner' | 'Instructor';
      label: string;
    }
  | { type: 'stop' };

export interface StormOutcome {
  launches: number;
  latenciesMs: number[];
  errors: number;
  firstError?: string;
  wallMs: number;
  /** Requests for the platform's keyset during the storm: what the tool costs the LMS. */
  keysetFetches: number;
  loadCpuMs: number;
}

export type LaunchLoadReply =
  | { type: 'ready'; platformUrl: string; issuer: string }
  | { type: 'registered'; status: number; clientId: string }
  | { type: 'clientSet' }
  | ({ type: 'storm' } & StormOutcome)
  | { type: 'error'; message: string };

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const platform = await PlatformSimulator.start();

function launchSpec(sub: string, role: 'Learner' | 'Instructor'): LaunchSpec {
  return {
    sub,
    name: `User ${sub}`,
    roles: [`${MEMBERSHIP}${role}`],
    resourceLinkId: 'storm-link',
    context: { id: 'storm-course' },
  };
}

/** An Aula launch as a browser makes it: login, id_token post, the classroom page, the ticket it redeems. */
async function aulaLaunch(toolUrl: string, spec: LaunchSpec): Promise<void> {
  const browser = new LtiBrowser(toolUrl, platform);
  const response = await browser.launch(spec);
  if (response.status !== 303) throw new Error(`launch answered ${response.status}`);
  const location = new URL(response.headers.location!, toolUrl);
  const page = await browser.agent.get(location.pathname);
  if (page.status !== 200) throw new Error(`classroom page answered ${page.status}`);
  const ticket = /ticket=([^&]+)/.exec(location.hash)?.[1];
  const redeemed = await browser.agent.post('/api/launch/redeem').send({ ticket });
  if (redeemed.status !== 200) throw new Error(`ticket redemption answered ${redeemed.status}`);
}

/** ltijs answers the launch post with a redirect to its app route, which serves onConnect. */
async function ltijsLaunch(toolUrl: string, spec: LaunchSpec): Promise<void> {
  const browser = new LtiBrowser(toolUrl, platform);
  let response = await browser.launch(spec);
  for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 3; hops += 1) {
    const next = new URL(response.headers.location!, toolUrl);
    response = await browser.agent.get(next.pathname + next.search);
  }
  if (response.status !== 200) throw new Error(`ltijs launch answered ${response.status}`);
}

async function storm(command: Extract<LaunchLoadCommand, { type: 'storm' }>): Promise<StormOutcome> {
  const launch = command.tool === 'aula' ? aulaLaunch : ltijsLaunch;
  const keysetBefore = platform.keysetRequests;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: command.size }, async (_, i) => {
      const launchedAt = performance.now();
      await launch(command.toolUrl, launchSpec(`${command.label}-${i}`, command.role));
      return performance.now() - launchedAt;
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const latenciesMs = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const firstError = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  return {
    launches: command.size,
    latenciesMs,
    errors: command.size - latenciesMs.length,
    ...(firstError ? { firstError: String(firstError.reason).slice(0, 300) } : {}),
    wallMs,
    keysetFetches: platform.keysetRequests - keysetBefore,
    loadCpuMs: (used.user + used.system) / 1000,
  };
}

async function handle(command: LaunchLoadCommand): Promise<void> {
  if (command.type === 'register') {
    const url = new URL(command.registrationUrl);
    url.searchParams.set('openid_configuration', `${platform.url}/.well-known/openid-configuration`);
    url.searchParams.set('registration_token', platform.registrationToken);
    const response = await fetch(url);
    reply({ type: 'registered', status: response.status, clientId: platform.clientId });
  } else if (command.type === 'useClient') {
    platform.clientId = command.clientId;
    reply({ type: 'clientSet' });
  } else if (command.type === 'storm') {
    reply({ type: 'storm', ...(await storm(command)) });
  } else {
    await platform.close();
    process.exit(0);
  }
}

process.on('disconnect', () => process.exit(0));
const reply = serveParent<LaunchLoadCommand, LaunchLoadReply>(handle, {
  type: 'ready',
  platformUrl: platform.url,
  issuer: platform.issuer,
});
