import crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JoinTokens } from '../../src/classroom/joinToken.js';

afterEach(() => vi.restoreAllMocks());

describe('join tokens', () => {
  it('import their signing key once, not on every mint and check', async () => {
    const imports = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    const tokens = new JoinTokens(crypto.randomBytes(32), 600);
    for (let i = 0; i < 5; i++) {
      const { token } = await tokens.mint({ sub: `u${i}`, cid: 'c1', role: 'student', name: 'Anna' });
      expect(await tokens.verify(token)).toMatchObject({ sub: `u${i}`, cid: 'c1' });
    }
    expect(imports).toHaveBeenCalledTimes(1);
  });

  it('refuse a token signed with another key', async () => {
    const claims = { sub: 'u1', cid: 'c1', role: 'teacher' as const, name: 'Frau Berg' };
    const { token } = await new JoinTokens(crypto.randomBytes(32), 600).mint(claims);
    await expect(new JoinTokens(crypto.randomBytes(32), 600).verify(token)).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
  });
});
