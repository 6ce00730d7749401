import { z } from 'zod';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const LTI_DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/** The LTI 1.3 claims Aula reads from an id_token, validated after the signature. */
export const ltiMessageSchema = z
  .looseObject({
    sub: z.string().min(1).max(255),
    name: z.string().max(255).optional(),
    given_name: z.string().max(255).optional(),
    family_name: z.string().max(255).optional(),
    [`${LTI}version`]: z.literal('1.3.0'),
    [`${LTI}message_type`]: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']),
    [`${LTI}deployment_id`]: z.string().min(1).max(255),
    [`${LTI}roles`]: z.array(z.string().max(500)).max(100),
    [`${LTI}target_link_uri`]: z.url().optional(),
    [`${LTI}resource_link`]: z
      .looseObject({ id: z.string().min(1).max(255), title: z.string().max(255).optional() })
      .optional(),
    [`${LTI}context`]: z
      .looseObject({
        id: z.string().min(1).max(255),
        title: z.string().max(255).optional(),
        label: z.string().max(255).optional(),
      })
      .optional(),
    [`${LTI}custom`]: z.record(z.string(), z.unknown()).optional(),
    [`${LTI}launch_presentation`]: z
      .looseObject({ locale: z.string().max(35).optional(), document_target: z.string().max(20).optional() })
      .optional(),
    'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': z
      .looseObject({ context_memberships_url: z.url() })
      .optional(),
    'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': z
      .looseObject({
        lineitems: z.url().optional(),
        lineitem: z.url().optional(),
        scope: z.array(z.string()).optional(),
      })
      .optional(),
    [`${LTI_DL}deep_linking_settings`]: z
      .looseObject({
        deep_link_return_url: z.url(),
        accept_types: z.array(z.string()),
        accept_multiple: z.union([z.boolean(), z.string()]).optional(),
        // Opaque to the tool: any JSON value, returned unchanged in the response.
        data: z.unknown().optional(),
      })
      .optional(),
  })
  .superRefine((claims, ctx) => {
    if (claims[`${LTI}message_type`] === 'LtiResourceLinkRequest') {
      if (!claims[`${LTI}resource_link`])
        ctx.addIssue({ code: 'custom', path: ['resource_link'], message: 'is required' });
      if (!claims[`${LTI}target_link_uri`])
        ctx.addIssue({ code: 'custom', path: ['target_link_uri'], message: 'is required' });
    } else if (!claims[`${LTI_DL}deep_linking_settings`]) {
      ctx.addIssue({ code: 'custom', path: ['deep_linking_settings'], message: 'is required' });
    }
  });

export type LtiMessage = z.infer<typeof ltiMessageSchema>;

/** The launch in Aula's terms, read from verified claims. */
export interface Launch {
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  issuer: string;
  clientId: string;
  deploymentId: string;
  lmsUserId: string;
  targetLinkUri?: string;
  name?: string;
  roles: string[];
  context?: { id: string; title?: string };
  resourceLink?: { id: string; title?: string };
  custom: Record<string, string>;
  locale?: string;
  membershipsUrl?: string;
  agsEndpoint?: { lineitems?: string; lineitem?: string; scope?: string[] };
  /** `data` is present (possibly null) exactly when the platform sent it. */
  deepLinking?: { returnUrl: string; acceptTypes: string[]; acceptMultiple: boolean; data?: unknown };
}

export function toLaunch(claims: LtiMessage, issuer: string, clientId: string): Launch {
  const name =
    claims.name?.trim() ||
    [claims.given_name, claims.family_name].filter(Boolean).join(' ').trim() ||
    undefined;
  const custom = Object.fromEntries(
    Object.entries(claims[`${LTI}custom`] ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  const settings = claims[`${LTI_DL}deep_linking_settings`];
  const context = claims[`${LTI}context`];
  const resourceLink = claims[`${LTI}resource_link`];
  const ags = claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'];
  return {
    messageType: claims[`${LTI}message_type`],
    issuer,
    clientId,
    deploymentId: claims[`${LTI}deployment_id`],
    lmsUserId: claims.sub,
    targetLinkUri: claims[`${LTI}target_link_uri`],
    name,
    roles: claims[`${LTI}roles`],
    context: context ? { id: context.id, title: context.title ?? context.label } : undefined,
    resourceLink: resourceLink ? { id: resourceLink.id, title: resourceLink.title } : undefined,
    custom,
    locale: claims[`${LTI}launch_presentation`]?.locale,
    membershipsUrl:
      claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice']?.context_memberships_url,
    agsEndpoint: ags ? { lineitems: ags.lineitems, lineitem: ags.lineitem, scope: ags.scope } : undefined,
    deepLinking: settings
      ? {
          returnUrl: settings.deep_link_return_url,
          acceptTypes: settings.accept_types,
          acceptMultiple: !(settings.accept_multiple === false || settings.accept_multiple === 'false'),
          ...('data' in settings ? { data: settings.data } : {}),
        }
      : undefined,
  };
}
