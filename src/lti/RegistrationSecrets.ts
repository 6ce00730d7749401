import { sameSecret } from '../shared/secrets.js';
import { randomId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';

const CURRENT = 'current';

/**
 * The secret in the dynamic registration URL. Without it, `/lti/register`
 * registers nobody and fetches nothing: the admin copies the URL from
 * `/admin` or from `npm start`'s banner. A registration uses the secret up
 * (the next one needs the new URL), and the admin can replace it at any time.
 * Kept in the database, so every Aula process accepts the same one.
 */
export class RegistrationSecrets {
  constructor(
    private readonly models: Models,
    private readonly logger: Logger,
  ) {}

  async current(): Promise<string> {
    const found = await this.models.registrationSecrets.findById(CURRENT).lean();
    if (found) return found.secret;
    try {
      await this.models.registrationSecrets.create({
        _id: CURRENT,
        secret: randomId(18),
        createdAt: new Date(),
      });
    } catch (error) {
      // Another process created it first: theirs is the one.
      if (!isDuplicateKey(error)) throw error;
    }
    return (await this.models.registrationSecrets.findById(CURRENT).lean())!.secret;
  }

  async matches(candidate: string | undefined): Promise<boolean> {
    if (!candidate) return false;
    return sameSecret(candidate, await this.current());
  }

  /** Replaces the secret: URLs shown or printed before stop working. */
  async rotate(reason: 'admin' | 'used'): Promise<string> {
    const secret = randomId(18);
    await this.models.registrationSecrets.updateOne(
      { _id: CURRENT },
      { $set: { secret, createdAt: new Date() } },
      { upsert: true },
    );
    this.logger.info({ reason }, 'rotate() | registration secret replaced');
    return secret;
  }

  /** After a registration with `used`: replaced, unless someone replaced it meanwhile. */
  async consume(used: string): Promise<void> {
    if ((await this.current()) === used) await this.rotate('used');
  }
}
