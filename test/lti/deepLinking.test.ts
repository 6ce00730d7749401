import { decodeJwt } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LtiBrowser, startWithPlatform } from '../support/ltiBrowser.js';
import type { PlatformSimulator } from '../support/platformSimulator.js';
import type { TestAula } from '../support/testAula.js';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const SETTINGS = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
const DATA = 'https://purl.imsglobal.org/spec/lti-dl/claim/data';

describe('deep linking', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;

  beforeAll(async () => {
    ({ aula, platform } = await startWithPlatform());
  });
  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  /** A teacher's deep-linking launch; `data` replaces the platform's opaque value (undefined: none). */
  async function pickerTicket(data?: { value: unknown }): Promise<string> {
    const launch = await new LtiBrowser(aula.url, platform).launch({
      sub: 'teacher',
      roles: [INSTRUCTOR],
      messageType: 'LtiDeepLinkingRequest',
      mutate: (claims) => {
        const settings = claims[SETTINGS] as Record<string, unknown>;
        if (data) settings.data = data.value;
        else delete settings.data;
      },
    });
    expect(launch.status).toBe(303);
    return /#ticket=([^&]+)/.exec(launch.headers.location!)![1]!;
  }

  const choose = (ticket: string, title = 'Algebra') =>
    request(aula.url)
      .post(`/api/deep-link/${ticket}`)
      .send({ newClassroom: { title, seatCap: 20, guestAccess: true, lectureMode: false } });
  const respond = (ticket: string) => request(aula.url).post(`/api/deep-link/${ticket}/response`);

  /** Posts the response as the picker page does, to the platform, which checks signature and expiry. */
  const deliver = (returnUrl: string, jwt: string) =>
    fetch(returnUrl, { method: 'POST', body: new URLSearchParams({ JWT: jwt }) });

  it('signs the response when the teacher continues, however long after choosing', async () => {
    const ticket = await pickerTicket({ value: 'opaque' });
    const chosen = await choose(ticket);
    expect(chosen.status).toBe(200);
    expect(chosen.body.guestPassword).toMatch(/^[A-Za-z0-9]{14}$/);
    expect(chosen.body.jwt).toBeUndefined();
    const choseAt = Math.floor(Date.now() / 1000);
    // The teacher notes the guest password down before pressing Continue.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const response = await respond(ticket);
    expect(response.status).toBe(200);
    const claims = decodeJwt(response.body.jwt as string);
    expect(claims.iat).toBeGreaterThan(choseAt);
    expect(claims.exp! - claims.iat!).toBeGreaterThanOrEqual(60);
    expect((await deliver(response.body.returnUrl as string, response.body.jwt as string)).status).toBe(200);
  });

  it('answers Continue once, and only after a classroom was chosen', async () => {
    const ticket = await pickerTicket();
    const early = await respond(ticket);
    expect(early.status).toBe(409);
    expect((await choose(ticket)).status).toBe(200);
    expect((await choose(ticket, 'Second')).status).toBe(409);
    expect((await respond(ticket)).status).toBe(200);
    expect((await respond(ticket)).status).toBe(401);
  });

  it('accepts any JSON value as data and echoes it unchanged', async () => {
    for (const value of [{ course: 5, 'a.b': ['$x', null], nested: { ok: true } }, 0, false, null, '']) {
      const ticket = await pickerTicket({ value });
      expect((await choose(ticket)).status).toBe(200);
      const response = await respond(ticket);
      expect(response.status).toBe(200);
      const claims = decodeJwt(response.body.jwt as string);
      expect(DATA in claims).toBe(true);
      expect(claims[DATA]).toEqual(value);
    }
    const without = await pickerTicket();
    await choose(without);
    expect(DATA in decodeJwt((await respond(without)).body.jwt as string)).toBe(false);
  });
});
