// The lesson's security code: a digest of every member's public key, as five
// groups of four digits people can read to each other. Every page computes it
// from the member list the server sent; if the server gave anyone a key that
// is not a member's own (someone listening in), the pages' codes differ.
import type { E2eeMember } from '@protocol';
import { fromBase64Url } from './keyWrap';

const GROUPS = 5;

export async function securityCode(members: readonly E2eeMember[]): Promise<string> {
  const keys = members.map((member) => fromBase64Url(member.publicKey));
  // Sorted by the keys themselves: the order the server announced them in does not count.
  keys.sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
  const input = new Uint8Array(keys.reduce((sum, key) => sum + key.length, 0) + 'aula e2ee code v1'.length);
  input.set(new TextEncoder().encode('aula e2ee code v1'), 0);
  let offset = 'aula e2ee code v1'.length;
  for (const key of keys) {
    input.set(key, offset);
    offset += key.length;
  }
  const digest = new DataView(await crypto.subtle.digest('SHA-256', input));
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i += 1) groups.push(String(digest.getUint32(i * 4) % 10_000).padStart(4, '0'));
  return groups.join(' ');
}
