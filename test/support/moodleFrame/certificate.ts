import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
  /** Base64 SHA-256 of the public key, for Chromium's --ignore-certificate-errors-spki-list. */
  spki: string;
}

/** A self-signed certificate for the test's host names, made with openssl for this run only. */
export function testCertificate(hostNames: string[]): TestCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'],
        ...['-keyout', keyFile, '-out', certFile, '-subj', '/CN=Aula test'],
        ...['-addext', `subjectAltName=${hostNames.map((name) => `DNS:${name}`).join(',')}`],
      ],
      { stdio: 'ignore' },
    );
    const cert = fs.readFileSync(certFile, 'utf8');
    const publicKey = new crypto.X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    return {
      key: fs.readFileSync(keyFile, 'utf8'),
      cert,
      spki: crypto.createHash('sha256').update(publicKey).digest('base64'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
