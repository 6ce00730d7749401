import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './loadConfig.js';

export interface Secrets {
  /** ltijs signs its cookies and encrypts platform keys with this. */
  ltiKey: string;
  /** HMAC key for Aula's join tokens. */
  joinTokenKey: Uint8Array;
  /** HMAC key for the short-lived links to recorded segments. */
  recordingLinkKey: Uint8Array;
  /** Bearer token for the admin pages and API. */
  adminToken: string;
  /** True when the admin token was generated here, so start-up should show it. */
  adminTokenGenerated: boolean;
}

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, 'aula', purpose, 32));
}

/**
 * Production sets AULA_SECRET and AULA_ADMIN_TOKEN. The embedded defaults keep
 * generated ones in the data directory so launches and tokens survive restarts.
 */
export function loadSecrets(config: Config): Secrets {
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: { secret?: string; adminToken?: string } = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof stored;
  const secret = config.AULA_SECRET ?? stored.secret ?? crypto.randomBytes(32).toString('base64url');
  const adminToken =
    config.AULA_ADMIN_TOKEN ?? stored.adminToken ?? crypto.randomBytes(18).toString('base64url');
  if (!config.AULA_SECRET || !config.AULA_ADMIN_TOKEN) {
    const next = {
      secret: config.AULA_SECRET ? undefined : secret,
      adminToken: config.AULA_ADMIN_TOKEN ? undefined : adminToken,
    };
    if (next.secret !== stored.secret || next.adminToken !== stored.adminToken) {
      fs.mkdirSync(config.dataDir, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(next), { mode: 0o600 });
    }
  }
  return {
    ltiKey: derive(secret, 'ltijs').toString('base64url'),
    joinTokenKey: derive(secret, 'join-token'),
    recordingLinkKey: derive(secret, 'recording-links'),
    adminToken,
    adminTokenGenerated: !config.AULA_ADMIN_TOKEN,
  };
}
