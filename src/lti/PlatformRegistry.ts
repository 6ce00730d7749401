import type { Provider } from 'ltijs';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { randomId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { DeploymentRecord, Models, PlatformRecord } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';

export type SeatTier = 10 | 25 | 50;

export const manualPlatformSchema = z
  .object({
    issuer: z.url(),
    clientId: z.string().min(1).max(255),
    name: z.string().trim().min(1).max(120),
    authenticationEndpoint: z.url(),
    accessTokenEndpoint: z.url(),
    keysetUrl: z.url(),
    authorizationServer: z.url().optional(),
    deployments: z.array(z.string().min(1).max(255)).max(100).default([]),
  })
  .strict();

export type ManualPlatform = z.infer<typeof manualPlatformSchema>;

export interface PlatformView {
  id: string;
  issuer: string;
  clientId: string;
  name: string;
  productFamily?: string;
  registeredVia: 'dynamic' | 'manual';
  enabled: boolean;
  createdAt: Date;
  deployments: Array<{ deploymentId: string; enabled: boolean; seatTier: SeatTier }>;
}

export type Platform = PlatformRecord & { _id: string };
export type Deployment = DeploymentRecord & { _id: string };

/**
 * LMS registrations: ltijs keeps the keys and endpoints; Aula keeps which
 * deployments exist, whether the school switched Aula on, and seat tiers.
 */
export class PlatformRegistry {
  private originsCache: { at: number; origins: string[] } | undefined;

  constructor(
    private readonly models: Models,
    private readonly provider: Provider,
    private readonly defaultTier: SeatTier,
    private readonly logger: Logger,
  ) {}

  async find(issuer: string, clientId?: string): Promise<Platform | undefined> {
    if (clientId) return (await this.models.platforms.findOne({ issuer, clientId }).lean()) ?? undefined;
    const all = await this.models.platforms.find({ issuer }).limit(2).lean();
    // Without a client id the issuer alone must be unambiguous.
    return all.length === 1 ? all[0] : undefined;
  }

  async get(platformId: string): Promise<Platform> {
    const platform = await this.models.platforms.findById(platformId).lean();
    if (!platform) throw new NotFoundError('Platform not found', 'PLATFORM_NOT_FOUND');
    return platform;
  }

  async deployment(platformId: string, deploymentId: string): Promise<Deployment | undefined> {
    return (await this.models.deployments.findOne({ platformId, deploymentId }).lean()) ?? undefined;
  }

  /** Registers a platform in ltijs and in Aula, with its deployments switched on. */
  async register(
    registration: ManualPlatform & { productFamily?: string },
    via: 'dynamic' | 'manual',
  ): Promise<Platform> {
    if (await this.find(registration.issuer, registration.clientId)) {
      throw new ConflictError(
        'This platform (issuer and client id) is already registered',
        'PLATFORM_EXISTS',
      );
    }
    await this.provider.registerPlatform({
      url: registration.issuer,
      name: registration.name,
      clientId: registration.clientId,
      authenticationEndpoint: registration.authenticationEndpoint,
      accesstokenEndpoint: registration.accessTokenEndpoint,
      authorizationServer: registration.authorizationServer ?? registration.accessTokenEndpoint,
      authConfig: { method: 'JWK_SET', key: registration.keysetUrl },
    });
    const platform = await this.models.platforms.create({
      _id: randomId(12),
      issuer: registration.issuer,
      clientId: registration.clientId,
      name: registration.name,
      productFamily: registration.productFamily,
      registeredVia: via,
      enabled: true,
    });
    for (const deploymentId of registration.deployments) await this.addDeployment(platform._id, deploymentId);
    this.originsCache = undefined;
    this.logger.info({ platformId: platform._id, via }, 'register() | platform registered');
    return platform.toObject();
  }

  async addDeployment(platformId: string, deploymentId: string, seatTier?: SeatTier): Promise<void> {
    await this.get(platformId);
    try {
      await this.models.deployments.create({
        _id: randomId(12),
        platformId,
        deploymentId,
        enabled: true,
        seatTier: seatTier ?? this.defaultTier,
      });
    } catch (error) {
      if (isDuplicateKey(error))
        throw new ConflictError('This deployment is already registered', 'DEPLOYMENT_EXISTS');
      throw error;
    }
  }

  async updateDeployment(
    platformId: string,
    deploymentId: string,
    changes: { enabled?: boolean; seatTier?: SeatTier },
  ): Promise<void> {
    const result = await this.models.deployments.updateOne({ platformId, deploymentId }, { $set: changes });
    if (result.matchedCount === 0) throw new NotFoundError('Deployment not found', 'DEPLOYMENT_NOT_FOUND');
  }

  async removeDeployment(platformId: string, deploymentId: string): Promise<void> {
    await this.models.deployments.deleteOne({ platformId, deploymentId });
  }

  async setEnabled(platformId: string, enabled: boolean): Promise<void> {
    const result = await this.models.platforms.updateOne({ _id: platformId }, { $set: { enabled } });
    if (result.matchedCount === 0) throw new NotFoundError('Platform not found', 'PLATFORM_NOT_FOUND');
    this.logger.info({ platformId, enabled }, 'setEnabled() | platform switched');
  }

  /** Removes the registration (keys and endpoints in ltijs too); classrooms and records stay until retention. */
  async remove(platformId: string): Promise<void> {
    const platform = await this.get(platformId);
    await this.provider.deletePlatform(platform.issuer, platform.clientId);
    await this.models.deployments.deleteMany({ platformId });
    await this.models.platforms.deleteOne({ _id: platformId });
    this.originsCache = undefined;
    this.logger.info({ platformId }, 'remove() | platform removed');
  }

  async list(): Promise<PlatformView[]> {
    const platforms = await this.models.platforms.find().sort({ createdAt: 1 }).lean();
    const deployments = await this.models.deployments.find().sort({ createdAt: 1 }).lean();
    return platforms.map((platform) => ({
      id: platform._id,
      issuer: platform.issuer,
      clientId: platform.clientId,
      name: platform.name,
      productFamily: platform.productFamily ?? undefined,
      registeredVia: platform.registeredVia,
      enabled: platform.enabled,
      createdAt: platform.createdAt,
      deployments: deployments
        .filter((deployment) => deployment.platformId === platform._id)
        .map((deployment) => ({
          deploymentId: deployment.deploymentId,
          enabled: deployment.enabled,
          seatTier: deployment.seatTier as SeatTier,
        })),
    }));
  }

  /** Origins of registered platforms, for frame-ancestors; refreshed at most every 30 s. */
  async refreshOrigins(): Promise<string[]> {
    if (this.originsCache && Date.now() - this.originsCache.at < 30_000) return this.originsCache.origins;
    const platforms = await this.models.platforms.find({}, { issuer: 1 }).lean();
    const origins = [
      ...new Set(
        platforms.flatMap((platform) => {
          try {
            return [new URL(platform.issuer).origin];
          } catch {
            return [];
          }
        }),
      ),
    ];
    this.originsCache = { at: Date.now(), origins };
    return origins;
  }

  /** The last known origins, without waiting for the database (used in every response's CSP). */
  knownOrigins(): string[] {
    if (!this.originsCache || Date.now() - this.originsCache.at > 30_000)
      void this.refreshOrigins().catch(() => undefined);
    return this.originsCache?.origins ?? [];
  }
}
