import { describe, expect, it } from 'vitest';
import type { E2eeEvents } from '@protocol';
import { KeyAgreement, type KeyChannel, type KeyRefusal, type KeyState } from '@/e2ee/KeyAgreement';
import { createIdentity, wrapSecret } from '@/e2ee/keyWrap';
import { newMediaSecret } from '@/e2ee/keySchedule';
import { securityCode } from '@/e2ee/securityCode';

/** A page's agreement with a fake server that records what it was asked to relay. */
function page() {
  const sent: Array<{ to: string; epoch: number; blob: string }> = [];
  let announced = '';
  const channel = {
    request: async (name: string, payload: Record<string, unknown>) => {
      if (name === 'e2ee:announce') announced = payload.publicKey as string;
      if (name === 'e2ee:sendKey') sent.push(payload as { to: string; epoch: number; blob: string });
      return { ok: true };
    },
  } as unknown as KeyChannel;
  const keys: Array<{ epoch: number; secret: Uint8Array }> = [];
  const states: KeyState[] = [];
  const refusals: KeyRefusal[] = [];
  const agreement = new KeyAgreement(
    channel,
    { setKey: async (epoch, secret) => void keys.push({ epoch, secret }) },
    (state) => states.push(state),
    (why) => refusals.push(why),
  );
  return { agreement, sent, keys, states, refusals, publicKey: () => announced };
}

type Page = ReturnType<typeof page>;

async function members(pages: Array<[string, Page]>, leaderId: string, epoch = 0) {
  const update: E2eeEvents['e2ee:members'] = {
    members: pages.map(([participantId, p]) => ({ participantId, publicKey: p.publicKey() })),
    leaderId,
    epoch,
  };
  for (const [, p] of pages) await p.agreement.onMembers(update);
}

/** Teacher, Anna and Ben in the order they announced. */
const trio = (teacher: Page, anna: Page, ben: Page): Array<[string, Page]> => [
  ['t', teacher],
  ['a', anna],
  ['b', ben],
];

/** The teacher (leader) and Anna announced and heard the member list; the teacher's key not yet relayed. */
async function teacherAndAnna() {
  const teacher = page();
  const anna = page();
  await teacher.agreement.join('t');
  await anna.agreement.join('a');
  await members(
    [
      ['t', teacher],
      ['a', anna],
    ],
    't',
  );
  return { teacher, anna };
}

/** Hands what the leader sent to each recipient, as the server relays it. */
async function relay(from: string, leader: Page, pages: Record<string, Page>) {
  for (const message of leader.sent.splice(0)) {
    await pages[message.to]!.agreement.onKey({ from, epoch: message.epoch, blob: message.blob });
  }
}

describe('the key agreement', () => {
  it('gives every member the leader key, ratchets when someone joins and makes a new key when someone leaves', async () => {
    const { teacher, anna } = await teacherAndAnna();
    const ben = page();
    await relay('t', teacher, { a: anna });
    expect(teacher.keys.at(-1)!.epoch).toBe(1);
    expect(anna.keys.at(-1)).toEqual(teacher.keys.at(-1));

    // Ben joins: teacher and Anna ratchet to epoch 2 by themselves; Ben gets epoch 2 only.
    await ben.agreement.join('b');
    await members(trio(teacher, anna, ben), 't', 1);
    expect(teacher.sent.map((message) => message.to)).toEqual(['b']);
    await relay('t', teacher, { a: anna, b: ben });
    expect(teacher.keys.at(-1)!.epoch).toBe(2);
    expect(anna.keys.at(-1)).toEqual(teacher.keys.at(-1));
    expect(ben.keys).toEqual([teacher.keys.at(-1)]);
    // The ratchet is one way: Ben never held epoch 1's secret.
    expect(ben.keys.some((key) => key.epoch === 1)).toBe(false);

    // Ben is removed: a fresh secret for those who stay, nothing for Ben.
    await members(
      [
        ['t', teacher],
        ['a', anna],
      ],
      't',
      2,
    );
    expect(teacher.sent.map((message) => message.to)).toEqual(['a']);
    await relay('t', teacher, { a: anna });
    const fresh = teacher.keys.at(-1)!;
    expect(fresh.epoch).toBe(3);
    expect(anna.keys.at(-1)).toEqual(fresh);
    expect(ben.keys.map((key) => [...key.secret])).not.toContainEqual([...fresh.secret]);
    // Every page shows the same code, and it is the members' keys' code.
    const code = await securityCode([
      { participantId: 't', publicKey: teacher.publicKey() },
      { participantId: 'a', publicKey: anna.publicKey() },
    ]);
    expect(teacher.states.at(-1)!.code).toBe(code);
    expect(anna.states.at(-1)!.code).toBe(code);
  });

  it('takes no key from anyone but the leader, none replayed, none sealed for someone else', async () => {
    const teacher = page();
    const anna = page();
    const ben = page();
    await teacher.agreement.join('t');
    await anna.agreement.join('a');
    await ben.agreement.join('b');
    await members(trio(teacher, anna, ben), 't');
    const toAnna = teacher.sent.find((message) => message.to === 'a')!;
    const toBen = teacher.sent.find((message) => message.to === 'b')!;
    // Ben forwards his blob to Anna as if from the leader, and claims to be the leader himself.
    await anna.agreement.onKey({ from: 't', epoch: toBen.epoch, blob: toBen.blob });
    await anna.agreement.onKey({ from: 'b', epoch: toAnna.epoch, blob: toAnna.blob });
    // A key Ben sealed himself for Anna's public key, claimed to come from the leader.
    const forged = await wrapSecret(anna.publicKey(), newMediaSecret(), { from: 'b', to: 'a', epoch: 5 });
    await anna.agreement.onKey({ from: 't', epoch: 5, blob: forged });
    expect(anna.keys).toEqual([]);
    expect(anna.refusals).toEqual(['does-not-open', 'not-leader', 'does-not-open']);

    await anna.agreement.onKey({ from: 't', epoch: toAnna.epoch, blob: toAnna.blob });
    expect(anna.keys.at(-1)).toEqual(teacher.keys.at(-1));
    // The same blob again (the server replays it): refused, the key stays.
    await anna.agreement.onKey({ from: 't', epoch: toAnna.epoch, blob: toAnna.blob });
    expect(anna.refusals.at(-1)).toBe('replayed');
    expect(anna.keys).toHaveLength(1);
  });

  it('warns instead of trusting a member list that does not carry this page own key', async () => {
    const anna = page();
    await anna.agreement.join('a');
    const stranger = await createIdentity();
    await anna.agreement.onMembers({
      members: [{ participantId: 'a', publicKey: stranger.publicKey }],
      leaderId: 'a',
      epoch: 0,
    });
    expect(anna.states.at(-1)!.listMismatch).toBe(true);
    expect(anna.keys).toEqual([]);
  });

  it('installs and sends nothing for a room the page left, even for a key that was under way', async () => {
    const { teacher, anna } = await teacherAndAnna();
    // Anna moves to a breakout group: the main room's key, relayed late, and its ratchets stay out.
    anna.agreement.stop();
    const statesBefore = anna.states.length;
    await relay('t', teacher, { a: anna });
    await members(
      [
        ['t', teacher],
        ['a', anna],
        ['b', page()],
      ],
      'a',
    );
    expect(anna.keys).toEqual([]);
    expect(anna.sent).toEqual([]);
    expect(anna.states.length).toBe(statesBefore);
  });

  it('says when the page first holds a key, so its media can wait for it', async () => {
    const { teacher, anna } = await teacherAndAnna();
    let keyed = false;
    void anna.agreement.keyed.then(() => (keyed = true));
    await Promise.resolve();
    expect(keyed).toBe(false);
    await relay('t', teacher, { a: anna });
    await anna.agreement.keyed;
    expect(anna.keys.length).toBe(1);
  });
});
