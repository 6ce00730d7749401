import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Ajv } from 'ajv';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { environmentSchema } from '../../src/config/environment.js';
import { createApp } from '../../src/http/createApp.js';
import { createLogger } from '../../src/shared/logger.js';

// docker/ cannot be run here (no Docker, no registry of images), so its files are
// checked against what can be: the Compose specification's JSON schema (as the
// npm package dclint ships it), and Aula's own code for every variable, port,
// path and image version they name.

const require = createRequire(import.meta.url);
const DOCKER = path.resolve('docker');
const composeText = fs.readFileSync(path.join(DOCKER, 'compose.yaml'), 'utf8');

/** The values an operator passes, as in the file's usage comment. */
const OPERATOR = {
  PUBLIC_URL: 'https://aula.school.example',
  PUBLIC_IP: '203.0.113.7',
  TURN_DOMAIN: 'turn.school.example',
  TURN_IP: '203.0.113.8',
  AULA_SECRET: 's'.repeat(48),
  AULA_ADMIN_TOKEN: 'a'.repeat(24),
  AULA_TURN_SECRET: 't'.repeat(32),
};

/** Compose's interpolation: ${NAME}, ${NAME:?error}, ${NAME?error}, ${NAME:-default}, ${NAME-default}, $$. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (match, name, colon, kind, rest) => {
      if (match === '$$') return '$';
      const value = vars[name as string];
      const unset = value === undefined || (colon === ':' && value === '');
      if (!unset) return value;
      if (kind === '-') return rest as string;
      throw new Error(`${name} is required: ${rest ?? ''}`);
    },
  );
}

const variablesUsed = new Set([...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  hostname?: string;
}
const compose = parse(interpolate(composeText, OPERATOR), { merge: true }) as {
  services: Record<string, Service>;
};
const services = Object.entries(compose.services);
const aulaNodes = services.filter(([, service]) => service.build?.dockerfile === 'docker/Dockerfile');

/** ENV lines of a Dockerfile's last stage (what the container starts with). */
function dockerfileEnv(file: string): Record<string, string> {
  const stages = fs
    .readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split(/^FROM /m);
  const last = stages.at(-1)!;
  const env: Record<string, string> = {};
  for (const line of last.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[name!] = value!;
  }
  return env;
}

describe('docker/compose.yaml', () => {
  it('is a valid Compose file by the Compose specification’s JSON schema', () => {
    const schemaFile = path.join(
      path.dirname(require.resolve('dclint/package.json')),
      'schemas',
      'compose.schema.json',
    );
    // Draft-07, Ajv's own draft; the file names draft-07's meta-schema by an https address Ajv does not know.
    const { $schema: _draft07, ...schema } = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as {
      $schema: string;
      title: string;
    };
    expect(schema.title).toBe('Compose Specification');
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('takes from the environment exactly the variables its usage comment sets', () => {
    const header = composeText
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .join('\n');
    const documented = new Set([...header.matchAll(/\b([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!));
    expect([...variablesUsed].sort()).toEqual([...documented].sort());
    expect(Object.keys(OPERATOR).sort()).toEqual([...documented].sort());
  });

  it('gives every Aula node an environment Aula accepts, with only AULA_* variables it knows', () => {
    expect(aulaNodes.map(([name]) => name)).toEqual(['aula1', 'aula2']);
    const known = new Set(Object.keys(environmentSchema.shape));
    for (const [name, service] of aulaNodes) {
      const env = { ...dockerfileEnv(path.join(DOCKER, 'Dockerfile')), ...service.environment };
      const unknown = Object.keys(env).filter((variable) => !known.has(variable));
      expect(unknown, name).toEqual([]);
      expect(() => loadConfig(env), name).not.toThrow();
    }
  });

  it('publishes each node’s media ports, and reaches Aula where it listens', async () => {
    const backend = fs.readFileSync(path.join(DOCKER, 'haproxy', 'aula-backend.cfg'), 'utf8');
    const haproxy = compose.services.haproxy!;
    for (const [name, service] of aulaNodes) {
      const env = { ...dockerfileEnv(path.join(DOCKER, 'Dockerfile')), ...service.environment };
      const config = loadConfig(env);
      // One UDP and one TCP port per media worker: AULA_RTC_PORT + worker index (WorkerPool).
      const first = config.AULA_RTC_PORT;
      const last = first + config.AULA_MEDIA_WORKERS - 1;
      expect(service.ports?.sort(), name).toEqual(
        [`${first}-${last}:${first}-${last}/tcp`, `${first}-${last}:${first}-${last}/udp`].sort(),
      );
      // The health check and HAProxy find Aula on the port it serves; its node id is HAProxy's server name.
      expect(service.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${config.AULA_PORT}/readyz`);
      const address = Object.values(haproxy.environment ?? {}).find((value) => value.startsWith(`${name}:`));
      expect(address, name).toBe(`${service.hostname}:${config.AULA_PORT}`);
      expect(config.AULA_NODE_ID).toBe(name);
      expect(backend).toMatch(new RegExp(`^\\s*server ${name} "\\$\\{[A-Z0-9_]+\\}"$`, 'm'));
      // /metrics has a listener of its own that no ports: entry publishes.
      expect(service.ports?.some((port) => port.includes(String(config.AULA_METRICS_PORT)))).toBe(false);
    }
    const dockerfile = fs.readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`EXPOSE ${environmentSchema.shape.AULA_PORT.parse(undefined)}`);
    // Every variable the HAProxy configuration reads is set in its service.
    for (const [, variable] of backend.matchAll(/"\$\{([A-Z0-9_]+)\}"/g)) {
      expect(Object.keys(haproxy.environment ?? {})).toContain(variable);
    }
    // /readyz is the route the checks call.
    const app = createApp({
      logger: createLogger({ level: 'silent' }),
      trustProxy: false,
      readiness: async () => ({ ready: true, checks: {} }),
      platformOrigins: () => [],
      features: [],
    });
    await request(app).get('/readyz').expect(200);
    expect(backend).toContain('option httpchk GET /readyz');
  });

  it('builds from files that exist and mounts folders that exist', () => {
    for (const [name, service] of services) {
      if (service.build) {
        const context = path.resolve(DOCKER, service.build.context);
        const dockerfile = path.join(context, service.build.dockerfile);
        expect(fs.existsSync(dockerfile), `${name}: ${dockerfile}`).toBe(true);
        const text = fs.readFileSync(dockerfile, 'utf8');
        for (const [, sources] of text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
          for (const source of sources!.split(' ')) {
            expect(fs.existsSync(path.join(context, source)), `${name}: COPY ${source}`).toBe(true);
          }
        }
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.'))
          expect(fs.existsSync(path.resolve(DOCKER, source)), `${name}: ${source}`).toBe(true);
      }
    }
    // The image runs what the build makes: dist/server/main.js from src/main.ts; the worker stage's command exists.
    const dockerfile = fs.readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
    const build = JSON.parse(fs.readFileSync('tsconfig.build.json', 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(dockerfile).toContain(`"${build.compilerOptions.outDir}/main.js"`);
    expect(fs.existsSync(path.join(build.compilerOptions.rootDir, 'main.ts'))).toBe(true);
    expect(dockerfile).toContain('node scripts/aula.mjs worker');
    expect(fs.readFileSync('scripts/aula.mjs', 'utf8')).toMatch(/^ {2}async worker\(\) \{$/m);
  });

  it('pins images to the versions the tests run against', () => {
    const images = services.map(([, service]) => service.image).filter(Boolean) as string[];
    for (const image of images) expect(image, image).toMatch(/^[a-z0-9./-]+:(?!latest$)[\w.-]+$/);
    // MongoDB: the major version mongodb-memory-server runs when FerretDB is not there.
    const { DEFAULT_VERSION } = require('mongodb-memory-server-core/lib/util/resolveConfig') as {
      DEFAULT_VERSION: string;
    };
    expect(images).toContain(`mongo:${DEFAULT_VERSION.split('.')[0]}`);
    // HAProxy: the release of Debian's haproxy, which the load-balancer test runs with the same backend file.
    const version = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'haproxy'], { encoding: 'utf8' });
    if (version.status === 0) expect(images).toContain(`haproxy:${/^(\d+\.\d+)/.exec(version.stdout)![1]}`);
    // Node.js: the major release package.json requires; Debian: the release coturn's image and the tests use.
    const engines = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { engines: { node: string } })
      .engines.node;
    const major = /(\d+)/.exec(engines)![1];
    const dockerfile = fs.readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);
    expect(bases).toEqual([
      `node:${major}-bookworm`,
      `node:${major}-bookworm`,
      `node:${major}-bookworm-slim`,
    ]);
    expect(fs.readFileSync(path.join(DOCKER, 'coturn.Dockerfile'), 'utf8')).toMatch(
      /^FROM debian:bookworm-slim$/m,
    );
  });
});
