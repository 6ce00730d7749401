import type { Connection } from 'mongoose';
import type { DeleteExpired } from '../store/RetentionSweeper.js';

/**
 * The one place Aula touches ltijs's own collections. ltijs declares TTL
 * indexes for its launch state; FerretDB 1.x rejects TTL indexes, so Aula's
 * sweeper applies the same lifetimes on every database.
 */
const LTIJS_LIFETIMES_MS: Record<string, number> = {
  nonces: 10 * 60_000,
  states: 10 * 60_000,
  accesstokens: 60 * 60_000,
  idtokens: 24 * 60 * 60_000,
  contexttokens: 24 * 60 * 60_000,
};

/** One retention entry per ltijs collection, named `ltijs.<collection>`. */
export function ltijsExpiring(connection: Connection): Record<string, DeleteExpired> {
  return Object.fromEntries(
    Object.entries(LTIJS_LIFETIMES_MS).map(([collection, lifetime]) => [
      `ltijs.${collection}`,
      async (now: Date) =>
        (
          await connection
            .collection(collection)
            .deleteMany({ createdAt: { $lt: new Date(now.getTime() - lifetime) } })
        ).deletedCount,
    ]),
  );
}

/** The launch tokens ltijs kept of one user. */
export async function eraseLtijsUser(
  connection: Connection,
  user: { issuer: string; lmsUserId: string },
): Promise<Record<string, number>> {
  const idtokens = await connection
    .collection('idtokens')
    .deleteMany({ iss: user.issuer, user: user.lmsUserId });
  const contexttokens = await connection.collection('contexttokens').deleteMany({ user: user.lmsUserId });
  return { 'ltijs.idtokens': idtokens.deletedCount, 'ltijs.contexttokens': contexttokens.deletedCount };
}

/**
 * ltijs reuses a platform's access token until it expires. When the platform
 * refused it (revoked, or the platform was registered again), dropping every
 * cached token of that platform makes ltijs fetch a new one on the next call.
 */
export async function forgetAccessTokens(
  connection: Connection,
  platform: { issuer: string; clientId: string },
): Promise<number> {
  const { deletedCount } = await connection
    .collection('accesstokens')
    .deleteMany({ platformUrl: platform.issuer, clientId: platform.clientId });
  return deletedCount;
}
