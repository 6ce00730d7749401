import { LtiBrowser, registerDynamically } from '../../test/support/ltiBrowser.js';
import { PlatformSimulator } from '../../test/support/platformSimulator.js';
import { startTestAula } from '../../test/support/testAula.js';
import { benchDatabase, percentile } from '../environment.js';
import type { Benchmark } from '../run.js';

const STORMS = [50, 200];
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

/** One student's launch: OIDC login, the platform's id_token, the launch post, the classroom page. */
async function oneLaunch(
  aulaUrl: string,
  platform: PlatformSimulator,
  i: number,
  role = LEARNER,
): Promise<number> {
  const browser = new LtiBrowser(aulaUrl, platform);
  const started = performance.now();
  const response = await browser.launch({
    sub: `storm-${i}`,
    name: `Student ${i}`,
    roles: [role],
    resourceLinkId: 'storm-link',
    context: { id: 'storm-course' },
  });
  if (response.status !== 303) throw new Error(`launch answered ${response.status}`);
  const page = await browser.agent.get(new URL(response.headers.location!, aulaUrl).pathname);
  if (page.status !== 200) throw new Error(`classroom page answered ${page.status}`);
  return performance.now() - started;
}

export const launchStorm: Benchmark = {
  name: 'launch-storm',
  description: 'simultaneous LTI launches (login, id_token post, classroom page) from the test platform',
  async run() {
    const db = await benchDatabase();
    const aula = await startTestAula({ MONGODB_URI: db.uri(`aula_bench_launch_${Date.now()}`) });
    const platform = await PlatformSimulator.start();
    const storms: Array<Record<string, unknown>> = [];
    try {
      const registered = await registerDynamically(aula.url, platform);
      if (registered.status !== 200) throw new Error(`registration answered ${registered.status}`);
      // One launch first creates the classroom, as the teacher's first visit would.
      await oneLaunch(aula.url, platform, -1, INSTRUCTOR);
      for (const size of STORMS) {
        const started = performance.now();
        const outcomes = await Promise.allSettled(
          Array.from({ length: size }, (_, i) => oneLaunch(aula.url, platform, size * 1000 + i)),
        );
        const wallMs = performance.now() - started;
        const latencies = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
        storms.push({
          launches: size,
          errors: size - latencies.length,
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          p99Ms: percentile(latencies, 99),
          launchesPerSecond: Math.round((latencies.length / wallMs) * 1000),
        });
      }
    } finally {
      await platform.close();
      await aula.stop();
      await db.stop();
    }
    return {
      settings: { storms: STORMS, client: 'HTTP without a browser, one cookie jar per launch' },
      results: { storms, baseline: 'not measured yet: see bench/README.md' },
      summary: storms
        .map(
          (s) =>
            `${String(s.launches)} launches: p50 ${String(s.p50Ms)} ms, p95 ${String(s.p95Ms)} ms, p99 ${String(s.p99Ms)} ms, ${String(s.errors)} errors`,
        )
        .join('; '),
    };
  },
};
