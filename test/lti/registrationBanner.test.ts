import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicUrlWarning, registrationBanner } from '../../src/lti/registrationBanner.js';
import { toolUrls } from '../../src/lti/toolUrls.js';

const EXAMPLE = 'https://aula.school.example';

/** The manual-registration table of lti-config/README.md: Moodle's field names and Aula's values. */
function readmeFields(): Map<string, string> {
  const readme = fs.readFileSync('lti-config/README.md', 'utf8');
  const rows = [...readme.matchAll(/^\| ([^|]+?) \| (.+?) \|$/gm)].map(
    (match) => [match[1]!, match[2]!] as const,
  );
  return new Map(rows.filter(([field]) => field !== 'Moodle field' && !field.startsWith('---')));
}

function printedFields(banner: string): Array<[string, string]> {
  return [...banner.matchAll(/^ {4}(.+?): +(https?:\/\/\S+)$/gm)].map((match) => [match[1]!, match[2]!]);
}

describe("the start-up banner's registration fields", () => {
  const banner = registrationBanner({
    urls: toolUrls(EXAMPLE),
    registrationUrl: `${EXAMPLE}/lti/register/secret`,
    publicUrl: EXAMPLE,
  });

  it('prints each Moodle field once, named and filled as lti-config/README.md says', () => {
    const readme = readmeFields();
    const printed = printedFields(banner);
    const labels = printed.map(([field]) => field);
    expect(new Set(labels).size).toBe(labels.length);
    for (const [field, value] of printed) {
      expect(readme.has(field), `${field} is a field of the README's table`).toBe(true);
      expect(readme.get(field)).toContain(`\`${value}\``);
    }
    // Every field of the table that holds an Aula address is printed.
    const withAulaUrls = [...readme].filter(([, value]) => value.includes(EXAMPLE)).map(([field]) => field);
    expect(labels.sort()).toEqual(withAulaUrls.sort());
  });

  it('prints the registration URL with its secret on a line of its own', () => {
    expect(banner).toMatch(/^ {4}https:\/\/aula\.school\.example\/lti\/register\/secret$/m);
    expect(banner.match(/Tool URL:/g)).toHaveLength(1);
  });

  it('warns about plain http only beyond this machine', () => {
    expect(publicUrlWarning('http://localhost:3000')).toBeUndefined();
    expect(publicUrlWarning('http://127.0.0.1:3000')).toBeUndefined();
    expect(publicUrlWarning('https://aula.school.example')).toBeUndefined();
    const remote = 'http://aula.school.example';
    expect(publicUrlWarning(remote)).toContain('HTTPS');
    expect(
      registrationBanner({
        urls: toolUrls(remote),
        registrationUrl: `${remote}/lti/register/s`,
        publicUrl: remote,
      }),
    ).toContain('Warning: AULA_PUBLIC_URL');
  });

  it('says AULA_PUBLIC_URL must be set for a school when it printed this machine’s address', () => {
    const local = 'http://localhost:3998';
    const text = registrationBanner({
      urls: toolUrls(local),
      registrationUrl: `${local}/lti/register/s`,
      publicUrl: local,
      publicUrlDerived: true,
    });
    expect(text).toMatch(/^ {4}Tool URL: +http:\/\/localhost:3998\/lti\/launch$/m);
    expect(text).toContain(
      'Note: AULA_PUBLIC_URL is not set, so these addresses are where Aula listens on this machine (http://localhost:3998)',
    );
    expect(text).toContain('set AULA_PUBLIC_URL to the public HTTPS address');
    expect(text).not.toContain('Warning:');
  });
});
