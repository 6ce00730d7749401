import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, testDatabaseUri } from '../support/testDatabase.js';
import { waitFor } from '../support/testAula.js';

// `npm start` in a terminal: Aula runs under `script`, which gives it a
// pseudo-terminal as stdout, exactly as a person's shell does.

const databases: string[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const uri of databases) await dropDatabase(uri).catch(() => undefined);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts Aula on a terminal, answers its output (escape codes removed) once it listens, and stops it. */
async function startOnTerminal(extra: Record<string, string>): Promise<string[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-tty-'));
  dirs.push(dataDir);
  const mongoUri = testDatabaseUri('tty');
  databases.push(mongoUri);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TERM: 'xterm-256color',
    AULA_PORT: '0',
    AULA_RTC_PORT: '0',
    AULA_RTC_LISTEN_IP: '127.0.0.1',
    AULA_MEDIA_WORKERS: '1',
    AULA_DATA_DIR: dataDir,
    MONGODB_URI: mongoUri,
    MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
    ...extra,
  };
  const command = `exec ${process.execPath} --import tsx src/main.ts`;
  const terminal = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  terminal.stdout.on('data', (chunk: Buffer) => {
    output += stripVTControlCharacters(chunk.toString()).replaceAll('\r', '');
  });
  const exited = new Promise<void>((resolve) => terminal.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitFor(() => /startAula\(\) \| listening/.test(output), { timeoutMs: 60_000, what: 'Aula to listen' }),
      exited.then(() => Promise.reject(new Error(`Aula exited before listening:\n${output}`))),
    ]);
  } finally {
    const aula = spawnSync('pgrep', ['-P', String(terminal.pid)], { encoding: 'utf8' }).stdout.trim();
    for (const pid of aula.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGTERM');
    await exited;
  }
  return output.split('\n').filter((line) => line.trim() !== '');
}

describe('Aula’s log on a terminal', () => {
  it('is one readable line per event, not JSON', { timeout: 90_000 }, async () => {
    const lines = await startOnTerminal({});
    const listening = lines.find((line) => line.includes('startAula() | listening'))!;
    expect(listening).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: startAula\(\) \| listening \{"port":\d+\}$/);
    expect(lines.filter((line) => line.startsWith('{"level"'))).toEqual([]);
  });

  it('is JSON on a terminal too when AULA_LOG_FORMAT=json', { timeout: 90_000 }, async () => {
    const lines = await startOnTerminal({ AULA_LOG_FORMAT: 'json' });
    const listening = lines.find((line) => line.includes('startAula() | listening'))!;
    expect(JSON.parse(listening)).toMatchObject({ level: 30, msg: 'startAula() | listening' });
  });
});
