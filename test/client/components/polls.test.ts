import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { PollResults, PollView } from '@protocol';
import PollCard from '@/components/PollCard.vue';
import PollPanel from '@/components/PollPanel.vue';
import { usePollsStore } from '@/stores/polls';
import { connectedPage, freshPageEachTest, mountIn, participant, roomWith } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const teacher = participant('p-teacher', 'Frau Berg', { role: 'teacher' });
const anna = participant('p-anna', 'Anna Weber');
const ben = participant('p-ben', 'Ben Schulz');
const guest = participant('p-guest', 'Gast Mutter', { role: 'guest' });

function poll(extra: Partial<PollView> = {}): PollView {
  return {
    id: 'poll-1',
    question: 'Which planet is largest?',
    kind: 'single',
    options: ['Jupiter', 'Saturn', 'Mars'],
    anonymous: false,
    guestsMayAnswer: true,
    startedAt: Date.now(),
    endsAt: null,
    closed: false,
    shared: false,
    mine: null,
    ...extra,
  };
}

const results = (counts: number[], extra: Partial<PollResults> = {}): PollResults => ({
  pollId: 'poll-1',
  answered: 3,
  counts,
  ...extra,
});

const texts = (wrapper: { findAll(selector: string): Array<{ text(): string }> }, selector: string) =>
  wrapper.findAll(selector).map((element) => element.text());

freshPageEachTest();

describe('a teacher starts a poll', () => {
  it('sends the question, kind, options, who answers and the time limit', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, anna]) });
    const panel = mountIn(pinia, PollPanel);
    server.replies.set('poll:start', { pollId: 'poll-1' });
    expect(panel.get<HTMLButtonElement>('[data-testid=poll-start]').element.disabled).toBe(true);

    await panel.get('[data-testid=poll-question]').setValue('  Which planets have rings?  ');
    await panel.get('[data-testid=poll-kind-multiple]').setValue(true);
    await panel.get('[data-testid=poll-option-text-0]').setValue('Saturn');
    // One option is not a choice yet.
    expect(panel.get<HTMLButtonElement>('[data-testid=poll-start]').element.disabled).toBe(true);
    await panel.get('[data-testid=poll-option-text-1]').setValue('Jupiter');
    await panel.get('[data-testid=poll-add-option]').trigger('click');
    await panel.get('[data-testid=poll-option-text-2]').setValue('   ');
    await panel.get('[data-testid=poll-anonymous]').setValue(false);
    await panel.get('[data-testid=poll-guests]').setValue(false);
    await panel.get('[data-testid=poll-duration]').setValue('60');
    await panel.get('form').trigger('submit');
    await flushPromises();

    expect(server.sent('poll:start')).toEqual([
      {
        question: 'Which planets have rings?',
        kind: 'multiple',
        options: ['Saturn', 'Jupiter'],
        anonymous: false,
        guestsMayAnswer: false,
        durationSeconds: 60,
      },
    ]);
    panel.unmount();
  });

  it('sends no options for a yes/no poll, whose answers are the fixed ones', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, anna]) });
    const panel = mountIn(pinia, PollPanel);
    server.replies.set('poll:start', { pollId: 'poll-2' });
    await panel.get('[data-testid=poll-question]').setValue('Shall we take a break?');
    await panel.get('[data-testid=poll-kind-yesNo]').setValue(true);
    expect(panel.find('[data-testid=poll-option-text-0]').exists()).toBe(false);
    await panel.get('form').trigger('submit');
    await flushPromises();
    expect(server.sent('poll:start')).toEqual([
      { question: 'Shall we take a break?', kind: 'yesNo', anonymous: true, guestsMayAnswer: true },
    ]);
    panel.unmount();
  });
});

describe('the teacher watches the results', () => {
  it('as bars with counts and shares of those who answered, who chose what, then closes and shares', async () => {
    const pinia = await connectedPage({ self: teacher, room: roomWith([teacher, anna, ben, guest]) });
    const panel = mountIn(pinia, PollPanel);
    server.replies.set('poll:close', { ok: true });
    server.replies.set('poll:share', { ok: true });
    server.emit('poll:updated', poll({ guestsMayAnswer: false }));
    server.emit('poll:results', results([0, 0, 0], { answered: 0 }));
    await flushPromises();
    // Guests may not answer this one: two may answer.
    expect(panel.get('[data-testid=poll-answered]').text()).toBe('0 of 2 answered');
    expect(panel.find('[data-testid=poll-form]').exists()).toBe(false);

    server.emit(
      'poll:results',
      results([1, 1, 0], {
        answered: 2,
        voters: [
          { name: 'Anna Weber', choices: [0] },
          { name: 'Ben Schulz', choices: [1] },
        ],
      }),
    );
    await flushPromises();
    expect(panel.get('[data-testid=poll-answered]').text()).toBe('2 of 2 answered');
    expect(texts(panel, '[data-testid=poll-count]')).toEqual(['1 (50%)', '1 (50%)', '0 (0%)']);
    expect(panel.findAll('.fill').map((bar) => bar.attributes('style'))).toEqual([
      'width: 50%;',
      'width: 50%;',
      'width: 0%;',
    ]);
    expect(panel.get('details').text()).toContain('Ben Schulz');
    expect(panel.get('details').text()).toContain('Saturn');

    await panel.get('[data-testid=poll-close]').trigger('click');
    await panel.get('[data-testid=poll-share]').trigger('click');
    await flushPromises();
    expect(server.sent('poll:close')).toEqual([{ pollId: 'poll-1' }]);
    expect(server.sent('poll:share')).toEqual([{ pollId: 'poll-1', shared: true }]);

    server.emit('poll:updated', poll({ closed: true, shared: true }));
    await flushPromises();
    expect(panel.get('[data-testid=poll-share]').attributes('aria-pressed')).toBe('true');
    expect(panel.find('[data-testid=poll-close]').exists()).toBe(false);
    // Closed: a new poll can be started.
    expect(panel.find('[data-testid=poll-form]').exists()).toBe(true);
    panel.unmount();
  });
});

describe('a student answers', () => {
  it('chooses, sends, changes the answer while the poll runs, and sees the results once shared', async () => {
    const pinia = await connectedPage({ self: anna, room: roomWith([teacher, anna], { poll: poll() }) });
    const card = mountIn(pinia, PollCard);
    server.replies.set('poll:answer', { ok: true });
    expect(card.get('legend').text()).toBe('Which planet is largest?');
    expect(card.findAll('input[type=radio]')).toHaveLength(3);

    await card.get('[data-testid=poll-option-1]').setValue(true);
    await card.get('form').trigger('submit');
    await flushPromises();
    server.emit('poll:updated', poll({ mine: [1] }));
    await flushPromises();
    expect(card.get('[data-testid=poll-sent]').text()).toContain('Your answer: Saturn');
    expect(card.get('[data-testid=poll-send]').text()).toBe('Change answer');

    await card.get('[data-testid=poll-option-0]').setValue(true);
    await card.get('form').trigger('submit');
    await flushPromises();
    expect(server.sent('poll:answer')).toEqual([
      { pollId: 'poll-1', choices: [1] },
      { pollId: 'poll-1', choices: [0] },
    ]);

    // Closed: no more answers; then shared, the results appear.
    server.emit('poll:updated', poll({ mine: [0], closed: true }));
    await flushPromises();
    expect(card.find('form').exists()).toBe(false);
    expect(card.get('[data-testid=poll-mine]').text()).toBe('Your answer: Jupiter');
    expect(card.find('[data-testid=poll-results]').exists()).toBe(false);
    server.emit('poll:updated', poll({ mine: [0], closed: true, shared: true }));
    server.emit('poll:results', results([2, 1, 0]));
    await flushPromises();
    expect(texts(card, '[data-testid=poll-count]')).toEqual(['2 (67%)', '1 (33%)', '0 (0%)']);

    // The teacher stops sharing: the results go.
    server.emit('poll:updated', poll({ mine: [0], closed: true, shared: false }));
    await flushPromises();
    expect(card.find('[data-testid=poll-results]').exists()).toBe(false);
    expect(usePollsStore().results).toBeNull();
    card.unmount();
  });

  it('picks several answers in a multiple-choice poll', async () => {
    const pinia = await connectedPage({
      self: anna,
      room: roomWith([teacher, anna], { poll: poll({ kind: 'multiple' }) }),
    });
    const card = mountIn(pinia, PollCard);
    server.replies.set('poll:answer', { ok: true });
    await card.get('[data-testid=poll-option-2]').setValue(true);
    await card.get('[data-testid=poll-option-0]').setValue(true);
    await card.get('form').trigger('submit');
    await flushPromises();
    expect(server.sent('poll:answer')).toEqual([{ pollId: 'poll-1', choices: [0, 2] }]);
    card.unmount();
  });

  it('reads the fixed answers in the page language', async () => {
    const pinia = await connectedPage({
      self: anna,
      room: roomWith([teacher, anna], {
        poll: poll({ kind: 'yesNo', options: ['yes', 'no', 'abstain'] }),
      }),
      locale: 'de',
    });
    const card = mountIn(pinia, PollCard);
    expect(texts(card, '.choice')).toEqual(['Ja', 'Nein', 'Enthaltung']);
    server.emit('poll:updated', poll({ id: 'poll-2', kind: 'scale', options: ['1', '2', '3', '4', '5'] }));
    await flushPromises();
    expect(texts(card, '.choice')).toEqual(['1 (niedrigste)', '2', '3', '4', '5 (höchste)']);
    card.unmount();
  });

  it('shows a guest the question without answers when guests may not answer', async () => {
    const pinia = await connectedPage({
      self: guest,
      room: roomWith([teacher, guest], { poll: poll({ guestsMayAnswer: false }) }),
    });
    const card = mountIn(pinia, PollCard);
    expect(card.find('form').exists()).toBe(false);
    expect(card.text()).toContain('This poll is for course members only.');
    card.unmount();
  });
});
