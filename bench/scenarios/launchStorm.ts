import { startTestAula } from '../../test/support/testAula.js';
import { startMinimalLtijsTool } from '../baselines/minimalLtijsTool.js';
import { BenchChild } from '../BenchChild.js';
import { startCpuProfile } from '../cpuProfile.js';
import { CommandCounter, withCommandMonitoring } from '../commandCounter.js';
import { benchDatabase, percentile, ratio, round } from '../environment.js';
import type { LaunchLoadCommand, LaunchLoadReply, StormOutcome } from '../load/launchLoad.js';
import type { Benchmark } from '../run.js';

const STORMS = (process.env.LAUNCH_STORMS ?? '50,200').split(',').map(Number);
/** With AULA_BENCH_CPU_PROFILE=<file>: a CPU profile of Aula's process over the (last) storm of 50. */
const profileTo = process.env.AULA_BENCH_CPU_PROFILE;
/** LAUNCH_STORM_BASELINE=skip: Aula's storms alone, for a quick look (no ratios then). */
const withBaseline = process.env.LAUNCH_STORM_BASELINE !== 'skip';

type Load = BenchChild<LaunchLoadCommand, LaunchLoadReply>;

/** What a storm cost the tool's process and its database, measured here while the child drives it. */
interface Measures {
  counter: CommandCounter;
  databaseCpuMs: () => number | undefined;
}

async function measuredStorm(
  load: Load,
  command: Extract<LaunchLoadCommand, { type: 'storm' }>,
  measures: Measures,
  /** Writes a CPU profile of this process (Aula's) over the storm. */
  profileTo?: string,
) {
  const profiler = profileTo ? await startCpuProfile(profileTo) : undefined;
  const cpu = process.cpuUsage();
  const databaseCpu = measures.databaseCpuMs();
  measures.counter.start();
  const outcome: StormOutcome = await load.await('storm', command);
  const commands = measures.counter.stop();
  const used = process.cpuUsage(cpu);
  const databaseCpuAfter = measures.databaseCpuMs();
  await profiler?.stop();
  const launched = Math.max(1, outcome.launches - outcome.errors);
  return {
    launches: outcome.launches,
    errors: outcome.errors,
    ...(outcome.firstError ? { firstError: outcome.firstError } : {}),
    p50Ms: percentile(outcome.latenciesMs, 50),
    p95Ms: percentile(outcome.latenciesMs, 95),
    p99Ms: percentile(outcome.latenciesMs, 99),
    launchesPerSecond: Math.round((outcome.latenciesMs.length / outcome.wallMs) * 1000),
    roundTripsPerLaunch: round(commands.total / launched),
    keysetFetches: outcome.keysetFetches,
    toolCpuMsPerLaunch: round((used.user + used.system) / 1000 / launched, 2),
    ...(databaseCpu !== undefined && databaseCpuAfter !== undefined
      ? { databaseCpuMsPerLaunch: round((databaseCpuAfter - databaseCpu) / launched, 2) }
      : {}),
    loadCpuMsPerLaunch: round(outcome.loadCpuMs / launched, 2),
    commands: commands.byCommand,
  };
}

type Storm = Awaited<ReturnType<typeof measuredStorm>>;

/** The same storms against ltijs's hello world, on the same database server and platform. */
async function baselineStorms(
  load: Load,
  db: Awaited<ReturnType<typeof benchDatabase>>,
  platform: { issuer: string; platformUrl: string },
  into: Storm[],
): Promise<void> {
  const minimal = await startMinimalLtijsTool(
    withCommandMonitoring(db.uri(`aula_bench_ltijs_${Date.now()}`)),
    { issuer: platform.issuer, url: platform.platformUrl },
  );
  try {
    await load.await('clientSet', { type: 'useClient', clientId: minimal.clientId });
    const measures = {
      counter: new CommandCounter([minimal.provider.Database.db.getClient()]),
      databaseCpuMs: db.cpuMs,
    };
    for (const size of STORMS) {
      into.push(
        await measuredStorm(
          load,
          {
            type: 'storm',
            tool: 'ltijs',
            toolUrl: minimal.url,
            size,
            role: 'Learner',
            label: `b${size}`,
          },
          measures,
        ),
      );
    }
  } finally {
    await minimal.close();
  }
}

export const launchStorm: Benchmark = {
  name: 'launch-storm',
  description:
    'simultaneous LTI launches (login, id_token post, classroom page, ticket redemption); the test platform and the HTTP clients run in a child process',
  async run() {
    const db = await benchDatabase();
    const storms: Storm[] = [];
    const baseline: Storm[] = [];
    const { child: load, ready } = await BenchChild.start<LaunchLoadCommand, LaunchLoadReply>(
      'load/launchLoad.ts',
      { label: 'launch load' },
    );
    try {
      const aula = await startTestAula({
        MONGODB_URI: withCommandMonitoring(db.uri(`aula_bench_launch_${Date.now()}`)),
        // A launch that fails under load says why on stderr.
        AULA_LOG_LEVEL: process.env.AULA_TEST_LOG_LEVEL ?? 'error',
      });
      try {
        const registered = await load.await('registered', {
          type: 'register',
          registrationUrl: await aula.lti.registrationUrl(),
        });
        if (registered.status !== 200) throw new Error(`registration answered ${registered.status}`);
        const measures = {
          counter: new CommandCounter([
            aula.database.connection.getClient(),
            aula.lti.provider.Database.db.getClient(),
          ]),
          databaseCpuMs: db.cpuMs,
        };
        // The teacher's first launch creates the classroom the students launch into.
        const teacher = await measuredStorm(
          load,
          { type: 'storm', tool: 'aula', toolUrl: aula.url, size: 1, role: 'Instructor', label: 'teacher' },
          measures,
        );
        if (teacher.errors) throw new Error(`the teacher's launch failed: ${teacher.firstError}`);
        for (const [index, size] of STORMS.entries()) {
          storms.push(
            await measuredStorm(
              load,
              { type: 'storm', tool: 'aula', toolUrl: aula.url, size, role: 'Learner', label: `s${size}` },
              measures,
              index === STORMS.lastIndexOf(50) ? profileTo : undefined,
            ),
          );
        }
      } finally {
        await aula.stop();
      }
      // The baseline runs after Aula has stopped, on the same database server and platform.
      if (withBaseline) await baselineStorms(load, db, ready, baseline);
    } finally {
      await load.stop({ type: 'stop' });
      await db.stop();
    }
    const ratios = storms.map((s, i) => ({
      launches: s.launches,
      p50: baseline[i] ? ratio(s.p50Ms, baseline[i].p50Ms) : null,
      p95: baseline[i] ? ratio(s.p95Ms, baseline[i].p95Ms) : null,
    }));
    return {
      settings: {
        storms: STORMS,
        client:
          'HTTP without a browser, one cookie jar per launch, in a child process with the test platform',
        database: process.env.MONGODB_URI ? 'MONGODB_URI' : 'local FerretDB',
      },
      results: {
        storms,
        baseline: { tool: 'minimal ltijs launch handler', storms: baseline },
        ratioToBaseline: ratios,
      },
      summary: storms
        .map(
          (s, i) =>
            `${s.launches} launches: p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, ${s.errors} errors, ${ratios[i]!.p50 ?? '–'}x ltijs's p50, ${s.roundTripsPerLaunch} round trips, ${s.keysetFetches} keyset fetches, ${s.toolCpuMsPerLaunch} ms CPU per launch`,
        )
        .join('; '),
    };
  },
};
