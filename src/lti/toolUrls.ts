import type { ToolUrls } from '../protocol/index.js';

export type { ToolUrls };

export const ltiRoutes = {
  login: '/lti/login',
  launch: '/lti/launch',
  keyset: '/lti/keys',
  registration: '/lti/register',
} as const;

export function toolUrls(publicUrl: string): ToolUrls {
  return {
    tool: `${publicUrl}${ltiRoutes.launch}`,
    login: `${publicUrl}${ltiRoutes.login}`,
    launch: `${publicUrl}${ltiRoutes.launch}`,
    // Moodle asks for a deep-linking URL separately; ltijs serves both message types at one route.
    deepLink: `${publicUrl}${ltiRoutes.launch}`,
    keyset: `${publicUrl}${ltiRoutes.keyset}`,
    registration: `${publicUrl}${ltiRoutes.registration}`,
    icon: `${publicUrl}/icon.svg`,
    admin: `${publicUrl}/admin`,
  };
}
