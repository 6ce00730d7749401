import type { Provider } from 'ltijs';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { randomId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';
import { RegistryCache, type Platform, type Registrations } from './RegistryCache.js';
import { issuerSchema, platformUrlSchema } from './urlRules.js';

export type { Deployment, Platform, PlatformEndpoints, Registrations } from './RegistryCache.js';
export type SeatTier = 10 | 25 | 50;

/** A registration typed in by an admin; its URLs follow urlRules (https, or http on this machine). */
export function manualPlatformSchema(allowHttp: boolean) {
  const url = platformUrlSchema(allowHttp);
  return z
    .object({
      issuer: issuerSchema(allowHttp),
      clientId: z.string().min(1).max(255),
      name: z.string().trim().min(1).max(120),
      authenticationEndpoint: url,
      accessTokenEndpoint: url,
      keysetUrl: url,
      authorizationServer: url.optional(),
      deployments: z.array(z.string().min(1).max(255)).max(100).default([]),
    })
    .strict();
}

export type ManualPlatform = z.infer<ReturnType<typeof manualPlatformSchema>>;

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

const ORIGINS_CHECK_MS = 30_000;

/**
 * LMS registrations: ltijs keeps the keys and endpoints; Aula keeps which
 * deployments exist, whether the school switched Aula on, and seat tiers.
 * Lookups come from memory, checked against the database's registry stamp
 * (RegistryCache); every change writes a new stamp.
 */
export class PlatformRegistry {
  private readonly cache: RegistryCache;

  constructor(
    private readonly models: Models,
    private readonly provider: Provider,
    private readonly defaultTier: SeatTier,
    private readonly logger: Logger,
  ) {
    this.cache = new RegistryCache(models, provider, logger);
  }

  /** Every registration as of this call: one consistent view for all lookups of one request. */
  current(): Promise<Registrations> {
    return this.cache.current();
  }

  async get(platformId: string): Promise<Platform> {
    const platform = (await this.cache.current()).platform(platformId);
    if (!platform) throw new NotFoundError('Platform not found', 'PLATFORM_NOT_FOUND');
    return platform;
  }

  /** Registers a platform in ltijs and in Aula, with its deployments switched on. */
  async register(
    registration: ManualPlatform & { productFamily?: string },
    via: 'dynamic' | 'manual',
  ): Promise<Platform> {
    if (
      await this.models.platforms.exists({ issuer: registration.issuer, clientId: registration.clientId })
    ) {
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
    for (const deploymentId of registration.deployments)
      await this.insertDeployment(platform._id, deploymentId);
    await this.cache.changed();
    this.logger.info({ platformId: platform._id, via }, 'register() | platform registered');
    return platform.toObject();
  }

  async addDeployment(platformId: string, deploymentId: string, seatTier?: SeatTier): Promise<void> {
    if (!(await this.models.platforms.exists({ _id: platformId })))
      throw new NotFoundError('Platform not found', 'PLATFORM_NOT_FOUND');
    await this.insertDeployment(platformId, deploymentId, seatTier);
    await this.cache.changed();
  }

  async updateDeployment(
    platformId: string,
    deploymentId: string,
    changes: { enabled?: boolean; seatTier?: SeatTier },
  ): Promise<void> {
    const result = await this.models.deployments.updateOne({ platformId, deploymentId }, { $set: changes });
    if (result.matchedCount === 0) throw new NotFoundError('Deployment not found', 'DEPLOYMENT_NOT_FOUND');
    await this.cache.changed();
    this.logger.info({ platformId, deploymentId, ...changes }, 'updateDeployment() | deployment changed');
  }

  async removeDeployment(platformId: string, deploymentId: string): Promise<void> {
    await this.models.deployments.deleteOne({ platformId, deploymentId });
    await this.cache.changed();
  }

  async setEnabled(platformId: string, enabled: boolean): Promise<void> {
    const result = await this.models.platforms.updateOne({ _id: platformId }, { $set: { enabled } });
    if (result.matchedCount === 0) throw new NotFoundError('Platform not found', 'PLATFORM_NOT_FOUND');
    await this.cache.changed();
    this.logger.info({ platformId, enabled }, 'setEnabled() | platform switched');
  }

  /** Removes the registration (keys and endpoints in ltijs too); classrooms and records stay until retention. */
  async remove(platformId: string): Promise<void> {
    const platform = await this.models.platforms.findById(platformId).lean();
    if (!platform) throw new NotFoundError('Platform not found', 'PLATFORM_NOT_FOUND');
    await this.provider.deletePlatform(platform.issuer, platform.clientId);
    await this.models.deployments.deleteMany({ platformId });
    await this.models.platforms.deleteOne({ _id: platformId });
    await this.cache.changed();
    this.logger.info({ platformId }, 'remove() | platform removed');
  }

  /** For the admin: straight from the database, in registration order. */
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

  /** The last known origins, without waiting for the database (used in every response's CSP). */
  knownOrigins(): string[] {
    const { snapshot, ageMs } = this.cache.lastKnown();
    if (!snapshot || ageMs > ORIGINS_CHECK_MS) {
      void this.cache.current().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'knownOrigins() | could not refresh the registrations');
      });
    }
    return snapshot?.origins() ?? [];
  }

  private async insertDeployment(platformId: string, deploymentId: string, seatTier?: SeatTier) {
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
}
