// One "Aula process" for the seat-contention benchmark: its own database
// connection and SeatLedger, firing its share of seat requests at a signal.
import { SeatLedger } from '../../src/classroom/SeatLedger.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/store/Database.js';
import { CommandCounter, withCommandMonitoring } from '../commandCounter.js';

const [uri, lessonId, count, prefix, startAt] = process.argv.slice(2);
const database = await Database.connect(withCommandMonitoring(uri!), createLogger({ level: 'warn' }));
const ledger = new SeatLedger(database.models, { leaseMs: 60_000, graceMs: 30_000 });
const counter = new CommandCounter([database.connection.getClient()]);
// Mongoose creates each model's collection when a connection opens: done before the signal, not measured.
await Promise.all(Object.values(database.models).map((model) => model.init()));
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
counter.start();
const started = performance.now();
const results = await Promise.allSettled(
  Array.from({ length: Number(count) }, (_, i) =>
    ledger.take({
      lessonId: lessonId!,
      userKey: `${prefix}-${i}`,
      kind: 'enrolled',
      seatCap: 50,
      reservedSeats: 0,
    }),
  ),
);
const elapsedMs = performance.now() - started;
const commands = counter.stop();
const granted = results.filter((r) => r.status === 'fulfilled' && r.value.granted).length;
const errors = results.filter((r) => r.status === 'rejected').length;
process.stdout.write(`RESULT ${JSON.stringify({ granted, errors, elapsedMs, commands })}\n`);
await database.close();
