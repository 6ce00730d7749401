import { LtiBrowser, registerDynamically } from '../../test/support/ltiBrowser.js';
import type { LaunchSpec } from '../../test/support/platformSimulator.js';
import { PlatformSimulator } from '../../test/support/platformSimulator.js';
import { startMinimalLtijsTool } from '../baselines/minimalLtijsTool.js';
import { startTestAula } from '../../test/support/testAula.js';
import { benchDatabase, percentile, ratio } from '../environment.js';
import type { Benchmark } from '../run.js';

const STORMS = [50, 200];
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

function studentLaunch(i: number, role = LEARNER): LaunchSpec {
  return {
    sub: `storm-${i}`,
    name: `Student ${i}`,
    roles: [role],
    resourceLinkId: 'storm-link',
    context: { id: 'storm-course' },
  };
}

/** One student's launch into Aula: OIDC login, the platform's id_token, the launch post, the classroom page. */
async function aulaLaunch(aulaUrl: string, platform: PlatformSimulator, spec: LaunchSpec): Promise<void> {
  const browser = new LtiBrowser(aulaUrl, platform);
  const response = await browser.launch(spec);
  if (response.status !== 303) throw new Error(`launch answered ${response.status}`);
  const page = await browser.agent.get(new URL(response.headers.location!, aulaUrl).pathname);
  if (page.status !== 200) throw new Error(`classroom page answered ${page.status}`);
}

/** `size` launches at once; latency of each from its first request to its page. */
async function storm(size: number, launch: (i: number) => Promise<void>) {
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: size }, async (_, i) => {
      const launchedAt = performance.now();
      await launch(size * 1000 + i);
      return performance.now() - launchedAt;
    }),
  );
  const wallMs = performance.now() - started;
  const latencies = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const firstError = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  return {
    launches: size,
    errors: size - latencies.length,
    ...(firstError ? { firstError: String(firstError.reason).slice(0, 200) } : {}),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    launchesPerSecond: Math.round((latencies.length / wallMs) * 1000),
  };
}

export const launchStorm: Benchmark = {
  name: 'launch-storm',
  description: 'simultaneous LTI launches (login, id_token post, classroom page) from the test platform',
  async run() {
    const db = await benchDatabase();
    const storms: Array<Awaited<ReturnType<typeof storm>>> = [];
    const baseline: Array<Awaited<ReturnType<typeof storm>>> = [];
    try {
      const aula = await startTestAula({
        MONGODB_URI: db.uri(`aula_bench_launch_${Date.now()}`),
        // A launch that fails under load says why on stderr.
        AULA_LOG_LEVEL: process.env.AULA_TEST_LOG_LEVEL ?? 'error',
      });
      const platform = await PlatformSimulator.start();
      try {
        const registered = await registerDynamically(aula.url, platform);
        if (registered.status !== 200) throw new Error(`registration answered ${registered.status}`);
        // One launch first creates the classroom, as the teacher's first visit would.
        await aulaLaunch(aula.url, platform, studentLaunch(-1, INSTRUCTOR));
        for (const size of STORMS) {
          storms.push(await storm(size, (i) => aulaLaunch(aula.url, platform, studentLaunch(i))));
        }
      } finally {
        await platform.close();
        await aula.stop();
      }
      // The baseline runs after Aula has stopped, on the same database server, with its own platform.
      const baselinePlatform = await PlatformSimulator.start();
      const minimal = await startMinimalLtijsTool(db.uri(`aula_bench_ltijs_${Date.now()}`), baselinePlatform);
      try {
        for (const size of STORMS) baseline.push(await storm(size, (i) => minimal.launch(studentLaunch(i))));
      } finally {
        await minimal.close();
        await baselinePlatform.close();
      }
    } finally {
      await db.stop();
    }
    const ratios = storms.map((s, i) => ({
      launches: s.launches,
      p50: ratio(s.p50Ms, baseline[i]!.p50Ms),
      p95: ratio(s.p95Ms, baseline[i]!.p95Ms),
    }));
    return {
      settings: { storms: STORMS, client: 'HTTP without a browser, one cookie jar per launch' },
      results: {
        storms,
        baseline: { tool: 'minimal ltijs launch handler', storms: baseline },
        ratioToBaseline: ratios,
      },
      summary: storms
        .map(
          (s, i) =>
            `${s.launches} launches: p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, p99 ${s.p99Ms} ms, ${s.errors} errors, ${ratios[i]!.p50}x the ltijs baseline's p50`,
        )
        .join('; '),
    };
  },
};
