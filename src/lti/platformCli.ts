// `npm run platform -- <command>`: manage LMS registrations of a running Aula
// through its admin API, as the admin page does.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { PlatformView } from './PlatformRegistry.js';

const USAGE = `usage: npm run platform -- <command> [options]

commands:
  list
  add      --issuer URL --client-id ID --name NAME --auth-endpoint URL --token-endpoint URL
           --keyset URL [--deployment ID ...]
  remove   --issuer URL --client-id ID
  disable  --issuer URL --client-id ID [--deployment ID]
  enable   --issuer URL --client-id ID [--deployment ID]
  deployment-add --issuer URL --client-id ID --deployment ID [--seats 10|25|50]

connection (defaults: AULA_PUBLIC_URL or http://127.0.0.1:3000, and
AULA_ADMIN_TOKEN or the token generated into AULA_DATA_DIR):
  --url URL --token TOKEN`;

class CliError extends Error {}

function adminToken(explicit: string | undefined): string {
  if (explicit) return explicit;
  if (process.env.AULA_ADMIN_TOKEN) return process.env.AULA_ADMIN_TOKEN;
  const file = path.resolve(process.env.AULA_DATA_DIR ?? '.aula-data', 'secrets.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { adminToken?: string };
    if (stored.adminToken) return stored.adminToken;
  }
  throw new CliError('No admin token: pass --token or set AULA_ADMIN_TOKEN');
}

async function call(
  base: string,
  token: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${base}${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new CliError(`Aula does not answer at ${base}; start it with \`npm start\` or pass --url`);
  }
  const payload = (await response.json().catch(() => ({}))) as {
    error?: { message?: string; details?: unknown };
  };
  if (!response.ok) {
    const details = payload.error?.details ? ` ${JSON.stringify(payload.error.details)}` : '';
    throw new CliError(`${response.status}: ${payload.error?.message ?? 'request failed'}${details}`);
  }
  return payload;
}

function required(values: Record<string, unknown>, ...names: string[]): void {
  const missing = names.filter((name) => !values[name]);
  if (missing.length)
    throw new CliError(`missing ${missing.map((name) => `--${name}`).join(', ')}\n\n${USAGE}`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      name: { type: 'string' },
      'auth-endpoint': { type: 'string' },
      'token-endpoint': { type: 'string' },
      keyset: { type: 'string' },
      deployment: { type: 'string', multiple: true },
      seats: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (!command || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const base = (
    values.url ??
    process.env.AULA_PUBLIC_URL ??
    `http://127.0.0.1:${process.env.AULA_PORT ?? 3000}`
  ).replace(/\/+$/, '');
  const token = adminToken(values.token);
  const api = (method: string, route: string, body?: unknown) => call(base, token, method, route, body);
  const find = async () => {
    required(values, 'issuer', 'client-id');
    const { platforms } = (await api('GET', '/api/admin/overview')) as { platforms: PlatformView[] };
    const platform = platforms.find((p) => p.issuer === values.issuer && p.clientId === values['client-id']);
    if (!platform)
      throw new CliError(`No platform with issuer ${values.issuer} and client id ${values['client-id']}`);
    return platform;
  };

  switch (command) {
    case 'list': {
      const { platforms } = (await api('GET', '/api/admin/overview')) as { platforms: PlatformView[] };
      if (platforms.length === 0) process.stdout.write('No platforms registered.\n');
      for (const p of platforms) {
        process.stdout.write(
          `${p.enabled ? 'on ' : 'off'}  ${p.name}  issuer=${p.issuer}  client_id=${p.clientId}  (${p.registeredVia})\n`,
        );
        for (const d of p.deployments) {
          process.stdout.write(
            `       ${d.enabled ? 'on ' : 'off'} deployment ${d.deploymentId}  seats=${d.seatTier}\n`,
          );
        }
      }
      return;
    }
    case 'add': {
      required(values, 'issuer', 'client-id', 'name', 'auth-endpoint', 'token-endpoint', 'keyset');
      await api('POST', '/api/admin/platforms', {
        issuer: values.issuer,
        clientId: values['client-id'],
        name: values.name,
        authenticationEndpoint: values['auth-endpoint'],
        accessTokenEndpoint: values['token-endpoint'],
        keysetUrl: values.keyset,
        deployments: values.deployment ?? [],
      });
      process.stdout.write(`Registered ${values.name}.\n`);
      return;
    }
    case 'remove': {
      const platform = await find();
      await api('DELETE', `/api/admin/platforms/${platform.id}`);
      process.stdout.write(`Removed ${platform.name}.\n`);
      return;
    }
    case 'disable':
    case 'enable': {
      const platform = await find();
      const enabled = command === 'enable';
      const deployments = values.deployment ?? [];
      if (deployments.length === 0) await api('PATCH', `/api/admin/platforms/${platform.id}`, { enabled });
      for (const deployment of deployments) {
        await api(
          'PATCH',
          `/api/admin/platforms/${platform.id}/deployments/${encodeURIComponent(deployment)}`,
          { enabled },
        );
      }
      process.stdout.write(
        `${enabled ? 'Enabled' : 'Disabled'} ${deployments.length ? `deployment ${deployments.join(', ')} of ` : ''}${platform.name}.\n`,
      );
      return;
    }
    case 'deployment-add': {
      required(values, 'deployment');
      const platform = await find();
      for (const deployment of values.deployment ?? []) {
        await api('POST', `/api/admin/platforms/${platform.id}/deployments`, {
          deploymentId: deployment,
          ...(values.seats ? { seatTier: Number(values.seats) } : {}),
        });
      }
      process.stdout.write(`Added deployment ${(values.deployment ?? []).join(', ')} to ${platform.name}.\n`);
      return;
    }
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  const usage = error instanceof CliError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.exitCode = usage ? 2 : 1;
});
