// `npm run bench [name…]`: runs the benchmarks (all, or those named), writes
// bench/results/<name>.json each and prints one summary line per benchmark.
import fs from 'node:fs';
import path from 'node:path';
import { machine } from './environment.js';
import { captions } from './scenarios/captions.js';
import { e2ee } from './scenarios/e2ee.js';
import { joinTime } from './scenarios/joinTime.js';
import { launchStorm } from './scenarios/launchStorm.js';
import { memory } from './scenarios/memory.js';
import { notes } from './scenarios/notes.js';
import { recording } from './scenarios/recording.js';
import { recovery } from './scenarios/recovery.js';
import { seatContention } from './scenarios/seatContention.js';
import { sfuLoad } from './scenarios/sfuLoad.js';
import { slowLine } from './scenarios/slowLine.js';
import { whiteboard } from './scenarios/whiteboard.js';

export interface BenchmarkResult {
  settings: Record<string, unknown>;
  results: Record<string, unknown>;
  summary: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchmarkResult>;
}

const all: Benchmark[] = [
  launchStorm,
  seatContention,
  sfuLoad,
  joinTime,
  memory,
  recovery,
  whiteboard,
  notes,
  captions,
  recording,
  slowLine,
  e2ee,
];
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !all.some((benchmark) => benchmark.name === name));
if (unknown.length) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; choose from ${all.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted.length ? all.filter((benchmark) => wanted.includes(benchmark.name)) : all;
const outDir = path.resolve('bench', 'results');
fs.mkdirSync(outDir, { recursive: true });
const host = machine();
let failed = false;

for (const benchmark of selected) {
  const started = new Date();
  try {
    const outcome = await benchmark.run();
    const file = path.join(outDir, `${benchmark.name}.json`);
    fs.writeFileSync(
      file,
      `${JSON.stringify(
        {
          benchmark: benchmark.name,
          description: benchmark.description,
          startedAt: started,
          machine: host,
          ...outcome,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`${benchmark.name}: ${outcome.summary}  (${path.relative(process.cwd(), file)})`);
  } catch (error) {
    failed = true;
    console.error(`${benchmark.name}: failed: ${error instanceof Error ? error.stack : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
