import { driverCollection } from '../store/driverCollection.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';

/**
 * Nonces of id_tokens already accepted. The unique id makes a replay fail
 * atomically in any process; records outlive the id_token's maximum age.
 */
export class UsedNonces {
  /** On every launch's path: straight to the driver (the document is built whole here). */
  private readonly collection: ReturnType<typeof driverCollection<{ _id: string; expiresAt: Date }>>;

  constructor(
    private readonly models: Models,
    private readonly ttlMs: number,
  ) {
    this.collection = driverCollection(models.nonces);
  }

  /** Records a nonce; false when it was used before. */
  async use(issuer: string, nonce: string): Promise<boolean> {
    try {
      await this.collection().insertOne({
        _id: `${issuer}|${nonce}`,
        expiresAt: new Date(Date.now() + this.ttlMs),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.nonces.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }
}
