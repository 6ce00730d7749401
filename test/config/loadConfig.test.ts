import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

describe('loadConfig', () => {
  it('applies the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.AULA_PORT).toBe(3000);
    expect(config.AULA_PUBLIC_URL).toBe('http://localhost:3000');
    expect(config.AULA_SEAT_GRACE_SECONDS).toBe(30);
    expect(config.MONGODB_URI).toBeUndefined();
  });

  it('derives the public URL from the port and host Aula listens on when AULA_PUBLIC_URL is unset', () => {
    expect(loadConfig({ AULA_PORT: '3998' })).toMatchObject({
      AULA_PUBLIC_URL: 'http://localhost:3998',
      publicUrlDerived: true,
    });
    expect(loadConfig({ AULA_PORT: '3998', AULA_HOST: '127.0.0.1' }).AULA_PUBLIC_URL).toBe(
      'http://127.0.0.1:3998',
    );
    expect(loadConfig({ AULA_PORT: '3998', AULA_HOST: '::1' }).AULA_PUBLIC_URL).toBe('http://[::1]:3998');
    expect(loadConfig({ AULA_PORT: '3998', AULA_PUBLIC_URL: 'https://aula.school.example/' })).toMatchObject({
      AULA_PUBLIC_URL: 'https://aula.school.example',
      publicUrlDerived: false,
    });
  });

  it('lists every unknown and every malformed variable in one error', () => {
    let caught: unknown;
    try {
      loadConfig({
        AULA_PORT: 'eighty',
        AULA_PUBLIC_URL: 'ftp://example.org',
        AULA_PUBLIK_URL: 'https://typo.example.org',
        MONGODB_URI: 'postgres://nope',
        AULA_TURN_SERVERS: '{not json',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const names = (caught as ConfigError).problems.map((problem) => problem.split(':')[0]);
    expect(names.sort()).toEqual(
      ['AULA_PORT', 'AULA_PUBLIC_URL', 'AULA_PUBLIK_URL', 'AULA_TURN_SERVERS', 'MONGODB_URI'].sort(),
    );
  });

  it('takes TURN URLs only with the secret that mints their credentials, and checks node ids', () => {
    expect(() => loadConfig({ AULA_TURN_URLS: 'turns:turn.example:443?transport=tcp' })).toThrow(
      /AULA_TURN_SECRET/,
    );
    expect(() =>
      loadConfig({ AULA_TURN_URLS: 'https://turn.example', AULA_TURN_SECRET: 'x'.repeat(16) }),
    ).toThrow(/AULA_TURN_URLS/);
    const config = loadConfig({
      AULA_TURN_URLS: 'turns:turn.example:443?transport=tcp, turn:turn.example:3478',
      AULA_TURN_SECRET: 'x'.repeat(16),
      AULA_NODE_ID: 'aula2',
    });
    expect(config.AULA_TURN_URLS).toEqual(['turns:turn.example:443?transport=tcp', 'turn:turn.example:3478']);
    expect(config.AULA_NODE_ID).toBe('aula2');
    expect(() => loadConfig({ AULA_NODE_ID: 'two words' })).toThrow(/AULA_NODE_ID/);
  });

  it('requires an announced address when media listens on every interface', () => {
    expect(() => loadConfig({ AULA_RTC_LISTEN_IP: '0.0.0.0' })).toThrow(/AULA_RTC_ANNOUNCED_ADDRESS/);
    expect(
      loadConfig({ AULA_RTC_LISTEN_IP: '0.0.0.0', AULA_RTC_ANNOUNCED_ADDRESS: '203.0.113.7' })
        .AULA_RTC_LISTEN_IP,
    ).toEqual(['0.0.0.0']);
  });

  it('validates where and how metrics are served', () => {
    expect(() => loadConfig({ AULA_METRICS_TOKEN: 'short' })).toThrow(
      /AULA_METRICS_TOKEN: must be at least 16/,
    );
    expect(() => loadConfig({ AULA_METRICS_TOKEN: 'has a space in the middle' })).toThrow(
      /AULA_METRICS_TOKEN: must be printable ASCII/,
    );
    expect(() => loadConfig({ AULA_METRICS_HOST: '10.0.0.5' })).toThrow(
      /AULA_METRICS_HOST: needs AULA_METRICS_PORT/,
    );
    expect(() => loadConfig({ AULA_PORT: '3000', AULA_METRICS_PORT: '3000' })).toThrow(
      /AULA_METRICS_PORT: must differ from AULA_PORT/,
    );
    expect(() => loadConfig({ AULA_METRICS_PORT: '70000' })).toThrow(/AULA_METRICS_PORT/);
    const config = loadConfig({ AULA_METRICS_PORT: '9464', AULA_METRICS_TOKEN: 'a-long-enough-token' });
    expect(config.AULA_METRICS_PORT).toBe(9464);
    expect(config.AULA_METRICS_HOST).toBeUndefined();
  });

  it('requires explicit secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AULA_SECRET.*\n.*AULA_ADMIN_TOKEN/s);
  });

  it('stops the server process with a non-zero exit naming the bad variables', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, AULA_PORT: '-1', AULA_COLOUR: 'blue' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('AULA_PORT');
    expect(result.stderr).toContain('AULA_COLOUR: unknown variable');
  });
});
