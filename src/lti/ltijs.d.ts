// The part of ltijs 5.9 (classic API) that Aula uses. @types/ltijs describes v4.
declare module 'ltijs' {
  import type { Express, Request, Response, NextFunction } from 'express';

  export interface PlatformAuthConfig {
    method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY';
    key: string;
  }

  export interface PlatformRegistration {
    url: string;
    name: string;
    clientId: string;
    authenticationEndpoint: string;
    accesstokenEndpoint: string;
    authorizationServer?: string;
    authConfig: PlatformAuthConfig;
  }

  export interface Platform {
    platformUrl(): Promise<string>;
    platformClientId(): Promise<string>;
    platformName(): Promise<string>;
    platformId(): Promise<string>;
    platformKid(): Promise<string>;
    platformActive(active?: boolean): Promise<boolean>;
    platformAuthConfig(): Promise<PlatformAuthConfig>;
    platformAuthEndpoint(): Promise<string>;
    platformAccessTokenEndpoint(): Promise<string>;
    platformAuthorizationServer(): Promise<string>;
    platformPublicKey(): Promise<string>;
    platformPrivateKey(): Promise<string>;
    platformAccessToken(scopes: string): Promise<{ access_token: string; token_type: string }>;
    delete(): Promise<boolean>;
  }

  /** What ltijs hands to onConnect/onDeepLinking and expects back in its services. */
  export interface IdToken {
    iss: string;
    user: string;
    clientId: string;
    platformId?: string;
    deploymentId: string;
    userInfo?: { given_name?: string; family_name?: string; name?: string; email?: string };
    platformContext: {
      contextId?: string;
      context?: { id: string; title?: string; label?: string };
      resource?: { id: string; title?: string };
      roles?: string[];
      custom?: Record<string, string>;
      messageType?: string;
      targetLinkUri?: string;
      launchPresentation?: { document_target?: string; return_url?: string; locale?: string };
      endpoint?: { lineitems?: string; lineitem?: string; scope?: string[] };
      namesRoles?: { context_memberships_url: string; service_versions?: string[] };
      deepLinkingSettings?: {
        deep_link_return_url: string;
        accept_types: string[];
        accept_multiple?: boolean | string;
        data?: string;
      };
    };
  }

  export interface SetupOptions {
    appRoute?: string;
    loginRoute?: string;
    keysetRoute?: string;
    dynRegRoute?: string;
    cookies?: { secure?: boolean; sameSite?: 'None' | 'Lax' | 'Strict' };
    tokenMaxAge?: number | false;
    ltiaas?: boolean;
    cors?: boolean;
    dynReg?: {
      url: string;
      name: string;
      logo?: string;
      description?: string;
      redirectUris?: string[];
      customParameters?: Record<string, string>;
      autoActivate?: boolean;
      useDeepLinking?: boolean;
    };
  }

  export interface MembersResult {
    id?: string;
    context?: { id: string };
    members: Array<{
      user_id: string;
      status?: 'Active' | 'Inactive' | 'Deleted';
      name?: string;
      given_name?: string;
      family_name?: string;
      roles: string[];
    }>;
    next?: string;
  }

  export interface Provider {
    app: Express;
    Database: {
      /** ltijs's own mongoose connection (its own mongoose and driver versions). */
      db: { readyState: number; getClient(): NodeJS.EventEmitter };
      Get(key: false, collection: string, query: object): Promise<unknown[] | false>;
    };
    DeepLinking: {
      createDeepLinkingMessage(
        idtoken: IdToken,
        items: object[],
        options?: { message?: string; log?: string },
      ): Promise<string>;
    };
    NamesAndRoles: {
      getMembers(
        idtoken: IdToken,
        options?: { role?: string; limit?: number; pages?: number | false; url?: string },
      ): Promise<MembersResult>;
    };
    Grade: {
      getLineItems(
        idtoken: IdToken,
        options?: { resourceLinkId?: boolean; tag?: string; resourceId?: string },
      ): Promise<{ lineItems: Array<{ id: string; label?: string; tag?: string; resourceId?: string }> }>;
      createLineItem(
        idtoken: IdToken,
        lineItem: object,
        options?: { resourceLinkId?: boolean },
      ): Promise<{ id: string }>;
      submitScore(idtoken: IdToken, lineItemId: string, score: object): Promise<unknown>;
    };
    setup(key: string, database: { url: string; connection?: object }, options?: SetupOptions): Provider;
    deploy(options: { serverless: true; silent?: boolean }): Promise<true>;
    close(options?: { silent?: boolean }): Promise<true>;
    onConnect(handler: (token: IdToken, req: Request, res: Response, next: NextFunction) => unknown): true;
    onDeepLinking(
      handler: (token: IdToken, req: Request, res: Response, next: NextFunction) => unknown,
    ): true;
    onDynamicRegistration(handler: (req: Request, res: Response, next: NextFunction) => unknown): true;
    onInvalidToken(handler: (req: Request, res: Response, next: NextFunction) => unknown): true;
    onSessionTimeout(handler: (req: Request, res: Response, next: NextFunction) => unknown): true;
    onUnregisteredPlatform(handler: (req: Request, res: Response) => unknown): true;
    onInactivePlatform(handler: (req: Request, res: Response) => unknown): true;
    whitelist(...routes: Array<string | RegExp | { route: string | RegExp; method: string }>): true;
    registerPlatform(platform: PlatformRegistration): Promise<Platform>;
    getPlatform(url: string, clientId: string): Promise<Platform | false>;
    getPlatform(url: string): Promise<Platform[] | false>;
    getAllPlatforms(): Promise<Platform[]>;
    deletePlatform(url: string, clientId: string): Promise<true>;
  }

  const ltijs: { Provider: Provider };
  export default ltijs;
}
