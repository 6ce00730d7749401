import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { SeatLedger } from '../../src/classroom/SeatLedger.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/store/Database.js';
import { benchDatabase, round } from '../environment.js';
import type { Benchmark } from '../run.js';

const run = promisify(execFile);
const REQUESTS = 1000;
const PROCESSES = 2;
const SEAT_CAP = 50;

export const seatContention: Benchmark = {
  name: 'seat-contention',
  description: `${REQUESTS} parallel seat requests on a cap-${SEAT_CAP} lesson through ${PROCESSES} processes`,
  async run() {
    const db = await benchDatabase();
    const uri = db.uri(`aula_bench_seats_${crypto.randomBytes(3).toString('hex')}`);
    const lessonId = `bench-${Date.now()}`;
    try {
      const tsx = path.resolve('node_modules', '.bin', 'tsx');
      const startAt = String(Date.now() + 4_000);
      const outputs = await Promise.all(
        Array.from({ length: PROCESSES }, (_, i) =>
          run(tsx, [
            'bench/scenarios/seatWorker.ts',
            uri,
            lessonId,
            String(REQUESTS / PROCESSES),
            `p${i}`,
            startAt,
          ]),
        ),
      );
      const parts = outputs.map(({ stdout }) => {
        const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
        if (!line) throw new Error(`a seat process printed no result: ${stdout.slice(0, 300)}`);
        return JSON.parse(line.slice('RESULT '.length)) as {
          granted: number;
          errors: number;
          elapsedMs: number;
          commands: { total: number; byCommand: Record<string, number> };
        };
      });
      const database = await Database.connect(uri, createLogger({ level: 'warn' }));
      const occupied = await new SeatLedger(database.models, { leaseMs: 60_000, graceMs: 30_000 }).occupied(
        lessonId,
      );
      await database.connection.dropDatabase();
      await database.close();
      const granted = parts.reduce((sum, part) => sum + part.granted, 0);
      const wallMs = Math.max(...parts.map((part) => part.elapsedMs));
      const results = {
        requests: REQUESTS,
        processes: PROCESSES,
        seatCap: SEAT_CAP,
        granted,
        seatsInDatabase: occupied,
        overAdmissions: Math.max(0, granted - SEAT_CAP, occupied - SEAT_CAP),
        errors: parts.reduce((sum, part) => sum + part.errors, 0),
        wallMs: Math.round(wallMs),
        operationsPerSecond: Math.round(REQUESTS / (wallMs / 1000)),
        /** Database commands per seat request, granted or refused, in both processes. */
        databaseCommandsPerRequest: round(
          parts.reduce((sum, part) => sum + part.commands.total, 0) / REQUESTS,
          2,
        ),
        commands: parts.map((part) => part.commands.byCommand),
      };
      return {
        settings: { requests: REQUESTS, processes: PROCESSES, seatCap: SEAT_CAP },
        results,
        summary: `granted ${granted}/${SEAT_CAP}, over-admissions ${results.overAdmissions}, ${results.operationsPerSecond} ops/s, ${results.databaseCommandsPerRequest} database commands per request`,
      };
    } finally {
      await db.stop();
    }
  },
};
