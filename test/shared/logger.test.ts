import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger, logFormat } from '../../src/shared/logger.js';

function collected() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('log format', () => {
  it('is readable on a terminal and JSON otherwise, unless AULA_LOG_FORMAT says', () => {
    expect(logFormat(undefined, true)).toBe('pretty');
    expect(logFormat(undefined, false)).toBe('json');
    expect(logFormat('json', true)).toBe('json');
    expect(logFormat('pretty', false)).toBe('pretty');
  });

  it('takes AULA_LOG_FORMAT json or pretty and refuses anything else', () => {
    expect(loadConfig({ AULA_LOG_FORMAT: 'pretty' }).AULA_LOG_FORMAT).toBe('pretty');
    expect(loadConfig({}).AULA_LOG_FORMAT).toBeUndefined();
    expect(() => loadConfig({ AULA_LOG_FORMAT: 'xml' })).toThrow(/AULA_LOG_FORMAT/);
  });

  it('writes one readable line per event in the pretty format', () => {
    const { lines, stream } = collected();
    const logger = createLogger({ level: 'info', format: 'pretty' }, stream);
    logger.info({ port: 3998 }, 'startAula() | listening');
    logger.warn({ classroomId: 'c1', token: 'secret-value' }, 'beat() | lease lost, the room moves');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: startAula\(\) \| listening \{"port":3998\}$/);
    expect(lines[1]).toMatch(/WARN: beat\(\) \| lease lost, the room moves \{.*"classroomId":"c1"/);
    expect(lines[1]).not.toContain('secret-value');
  });

  it('writes JSON lines in the json format', () => {
    const { lines, stream } = collected();
    createLogger({ level: 'info', format: 'json' }, stream).info({ port: 3998 }, 'startAula() | listening');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, port: 3998, msg: 'startAula() | listening' });
  });
});
