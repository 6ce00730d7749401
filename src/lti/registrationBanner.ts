import { isLoopbackHost } from '../shared/loopback.js';
import type { ToolUrls } from './toolUrls.js';

/**
 * Moodle's fields for a manually configured tool, named exactly as
 * lti-config/README.md (and Moodle) names them, each with Aula's value.
 */
export function moodleFields(urls: ToolUrls): Array<[field: string, value: string]> {
  return [
    ['Tool URL', urls.tool],
    ['Public keyset', urls.keyset],
    ['Initiate login URL', urls.login],
    ['Redirection URI(s)', urls.launch],
    ['Content Selection URL', urls.deepLink],
    ['Icon URL / Secure icon URL', urls.icon],
  ];
}

/** Plain http beyond this machine: launches from an LMS on another site cannot keep their cookie. */
export function publicUrlWarning(publicUrl: string): string | undefined {
  const url = new URL(publicUrl);
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return undefined;
  return (
    `AULA_PUBLIC_URL (${publicUrl}) is plain http on an address other machines use: launches from an LMS ` +
    'on another site will fail, because browsers only send cross-site cookies over HTTPS. Serve Aula over ' +
    'HTTPS and set AULA_PUBLIC_URL to its https:// address.'
  );
}

/** AULA_PUBLIC_URL unset: the addresses are this machine's, fine for a try, not for a school. */
export function derivedUrlNote(publicUrl: string): string {
  return (
    `AULA_PUBLIC_URL is not set, so these addresses are where Aula listens on this machine (${publicUrl}): ` +
    'enough to try it here. For a real school, set AULA_PUBLIC_URL to the public HTTPS address that ' +
    'teachers, students and the LMS reach Aula at (for example https://aula.school.example).'
  );
}

/** What `npm start` prints for the school admin: the registration URL, then each manual field once. */
export function registrationBanner(input: {
  urls: ToolUrls;
  registrationUrl: string;
  adminToken?: string;
  publicUrl: string;
  /** AULA_PUBLIC_URL was not set: publicUrl is this machine's address on the served port. */
  publicUrlDerived?: boolean;
}): string {
  const fields = moodleFields(input.urls);
  const width = Math.max(...fields.map(([field]) => field.length)) + 2;
  const warning = input.publicUrlDerived
    ? derivedUrlNote(input.publicUrl)
    : publicUrlWarning(input.publicUrl);
  return [
    '',
    'Aula is running. Register it in Moodle: Site administration > Plugins > Activity modules > External tool >',
    'Manage tools.',
    '',
    'Dynamic registration: paste this URL into "Tool URL" and press "Add LTI Advantage". It works for one',
    'registration; the admin page shows the next one.',
    `    ${input.registrationUrl}`,
    '',
    'Manual registration ("configure a tool manually"), field by field (lti-config/README.md):',
    ...fields.map(([field, value]) => `    ${`${field}:`.padEnd(width)}${value}`),
    '',
    `Admin page: ${input.urls.admin}`,
    ...(input.adminToken ? [`Admin token (generated, kept in the data directory): ${input.adminToken}`] : []),
    ...(warning ? ['', `${input.publicUrlDerived ? 'Note' : 'Warning'}: ${warning}`] : []),
    '',
  ].join('\n');
}
