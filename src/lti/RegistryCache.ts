import type { Provider } from 'ltijs';
import { CoalescedRead } from '../shared/CoalescedRead.js';
import { randomId } from '../shared/ids.js';
import { driverCollection } from '../store/driverCollection.js';
import type { Logger } from '../shared/logger.js';
import type { DeploymentRecord, Models, PlatformRecord } from '../store/models/index.js';

export type Platform = PlatformRecord & { _id: string };
export type Deployment = DeploymentRecord & { _id: string };

/** Where to send a login and where the platform's keys are: kept by ltijs, read with the registrations. */
export interface PlatformEndpoints {
  authenticationEndpoint: string;
  keyMethod: string;
  /** The keyset URL when keyMethod is JWK_SET. */
  keysetUrl?: string;
}

/** Every registration at one moment, as one immutable value with its lookups. */
export class Registrations {
  constructor(
    readonly stamp: string | undefined,
    readonly platforms: Platform[],
    private readonly deployments: Deployment[],
    private readonly endpointsById: Map<string, PlatformEndpoints>,
  ) {}

  /** The registrations of an issuer, narrowed to one client id when given. Several mean ambiguity. */
  matching(issuer: string, clientId?: string): Platform[] {
    return this.platforms.filter(
      (platform) => platform.issuer === issuer && (clientId === undefined || platform.clientId === clientId),
    );
  }

  platform(platformId: string): Platform | undefined {
    return this.platforms.find((platform) => platform._id === platformId);
  }

  deployment(platformId: string, deploymentId: string): Deployment | undefined {
    return this.deployments.find((d) => d.platformId === platformId && d.deploymentId === deploymentId);
  }

  endpoints(platformId: string): PlatformEndpoints | undefined {
    return this.endpointsById.get(platformId);
  }

  /** Origins of registered platforms, for frame-ancestors: read on every response, so worked out once. */
  origins(): string[] {
    return (this.originList ??= this.originsOfPlatforms());
  }

  private originList: string[] | undefined;

  private originsOfPlatforms(): string[] {
    const origins = new Set<string>();
    for (const platform of this.platforms) {
      try {
        origins.add(new URL(platform.issuer).origin);
      } catch {
        // A malformed issuer from an old registration frames nothing.
      }
    }
    return [...origins];
  }
}

const STAMP_ID = 'registry';

/**
 * Registrations in memory, fresh for every caller: each lookup first reads
 * the registry's stamp (one small document, one read shared by every lookup
 * that arrives meanwhile), and only a changed stamp reloads the registrations.
 * Any process that changes a registration writes a new stamp, so the next
 * launch in every process sees the change.
 */
export class RegistryCache {
  private loaded: Registrations | undefined;
  private reloading: { stamp: string | undefined; snapshot: Promise<Registrations> } | undefined;
  private readonly stampRead: CoalescedRead<string | undefined>;
  private checkedAt = 0;

  constructor(
    private readonly models: Models,
    private readonly provider: Provider,
    private readonly logger: Logger,
  ) {
    // Read by every login and launch: straight to the driver.
    const stamps = driverCollection<{ _id: string; stamp: string }>(models.registryStamps);
    this.stampRead = new CoalescedRead(async () => {
      const found = await stamps().findOne({ _id: STAMP_ID });
      this.checkedAt = Date.now();
      return found?.stamp;
    });
  }

  /** Registrations as they were when this call began. */
  async current(): Promise<Registrations> {
    const stamp = await this.stampRead.get();
    if (this.loaded && this.loaded.stamp === stamp) return this.loaded;
    // Concurrent callers that saw the same new stamp share one reload.
    if (this.reloading && this.reloading.stamp === stamp) return this.reloading.snapshot;
    const reload = this.load(stamp).finally(() => {
      if (this.reloading?.snapshot === reload) this.reloading = undefined;
    });
    this.reloading = { stamp, snapshot: reload };
    return reload;
  }

  /** The last snapshot loaded, without waiting for the database; undefined before the first. */
  lastKnown(): { snapshot: Registrations | undefined; ageMs: number } {
    return { snapshot: this.loaded, ageMs: Date.now() - this.checkedAt };
  }

  /**
   * After any change of a registration: a new stamp tells every process to
   * reload, and this one reloads before the change counts as done. The last
   * snapshot stays until the new one replaces it, so the origins allowed to
   * frame Aula are never narrower during a change than before it.
   */
  async changed(): Promise<void> {
    await this.models.registryStamps.updateOne(
      { _id: STAMP_ID },
      { $set: { stamp: randomId(12) } },
      { upsert: true },
    );
    // The change is written; a failed reload only delays it until the next lookup reads the stamp.
    await this.current().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'changed() | registrations not reloaded yet');
    });
  }

  private async load(stamp: string | undefined): Promise<Registrations> {
    // The stamp was read before the registrations: a change in between shows as a newer stamp next time.
    const [platforms, deployments, ltijsPlatforms] = await Promise.all([
      this.models.platforms.find().sort({ createdAt: 1 }).lean(),
      this.models.deployments.find().sort({ createdAt: 1 }).lean(),
      this.provider.getAllPlatforms(),
    ]);
    const byIssuerAndClient = new Map<string, PlatformEndpoints>();
    for (const registration of ltijsPlatforms) {
      const authConfig = await registration.platformAuthConfig();
      byIssuerAndClient.set(`${await registration.platformUrl()}\n${await registration.platformClientId()}`, {
        authenticationEndpoint: await registration.platformAuthEndpoint(),
        keyMethod: authConfig.method,
        ...(authConfig.method === 'JWK_SET' ? { keysetUrl: authConfig.key } : {}),
      });
    }
    const endpoints = new Map<string, PlatformEndpoints>();
    for (const platform of platforms) {
      const found = byIssuerAndClient.get(`${platform.issuer}\n${platform.clientId}`);
      if (found) endpoints.set(platform._id, found);
    }
    const snapshot = new Registrations(stamp, platforms, deployments, endpoints);
    this.loaded = snapshot;
    this.logger.debug({ platforms: platforms.length, stamp }, 'load() | registrations loaded');
    return snapshot;
  }
}
