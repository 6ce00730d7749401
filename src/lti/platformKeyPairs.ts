import { generateKeyPair, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

/**
 * ltijs generates the tool's key pair for a newly registered platform with
 * `crypto.generateKeyPairSync` (4096-bit RSA, `dist/Utils/Auth.js`,
 * `generatePlatformKeyPair`): one to several seconds, up to 18 on a busy
 * machine, in which the event loop stands still and every lesson on the node
 * stutters. The replacement below keeps ltijs's key storage exactly (same kid,
 * formats, collections and encryption) and generates the pair in libuv's
 * thread pool. It applies to every ltijs Provider in the process; the version
 * check makes an ltijs upgrade stop here until the replacement is reviewed.
 */

/** The ltijs database calls the key generation uses (`dist/Utils/Database.js`). */
interface LtijsKeyStore {
  Get(encryptionKey: string | false, collection: string, query: object): Promise<unknown[] | false>;
  Replace(
    encryptionKey: string | false,
    collection: string,
    query: object,
    item: object,
    index?: object,
  ): Promise<unknown>;
}

interface LtijsAuth {
  generatePlatformKeyPair(
    encryptionKey: string,
    database: LtijsKeyStore,
    platformUrl: string,
    clientId: string,
  ): Promise<string>;
}

const REVIEWED_LTIJS = /^5\.9\./;
const generate = promisify(generateKeyPair);

async function generatePlatformKeyPair(
  encryptionKey: string,
  database: LtijsKeyStore,
  platformUrl: string,
  clientId: string,
): Promise<string> {
  let kid = randomBytes(16).toString('hex');
  while (await database.Get(false, 'publickey', { kid })) kid = randomBytes(16).toString('hex');
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: 4096,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const owner = { platformUrl, clientId };
  await database.Replace(encryptionKey, 'publickey', owner, { key: publicKey, kid }, { kid, ...owner });
  await database.Replace(encryptionKey, 'privatekey', owner, { key: privateKey, kid }, { kid, ...owner });
  return kid;
}

let installed = false;

/** Makes ltijs generate platform key pairs off the event loop; idempotent. */
export function generateKeysOffTheEventLoop(): void {
  if (installed) return;
  const require = createRequire(import.meta.url);
  const { version } = require('ltijs/package.json') as { version: string };
  if (!REVIEWED_LTIJS.test(version)) {
    throw new Error(
      `ltijs ${version}: review src/lti/platformKeyPairs.ts against its dist/Utils/Auth.js before upgrading`,
    );
  }
  const auth = require('ltijs/dist/Utils/Auth') as LtijsAuth;
  auth.generatePlatformKeyPair = generatePlatformKeyPair;
  installed = true;
}
