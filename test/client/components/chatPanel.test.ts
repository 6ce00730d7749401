import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { ChatMessage } from '@protocol';
import ChatPanel from '@/components/ChatPanel.vue';
import { i18n } from '@/locales/i18n';
import { SignalingClient } from '@/signaling/SignalingClient';
import { useChatStore } from '@/stores/chat';
import { inLesson, mountIn, participant, roomWith } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const teacher = participant('t', 'Frau Berg', { role: 'teacher' });
const anna = participant('anna', 'Anna Weber');
const ben = participant('ben', 'Ben Schulz');

const message = (id: string, from: typeof anna, text: string, to?: typeof anna): ChatMessage => ({
  id,
  from: { id: from.id, displayName: from.displayName },
  ...(to ? { to: { id: to.id, displayName: to.displayName } } : {}),
  text,
  sentAt: new Date(2025, 0, 1, 13, 5).getTime(),
});

afterEach(() => {
  i18n.global.locale.value = 'en';
  server.reset();
});

/** Anna's page in the lesson; the chat store follows the (fake) server's chat messages. */
function annasChat(locale: 'en' | 'de' = 'en', { open = true } = {}) {
  const pinia = inLesson({ self: anna, room: roomWith([teacher, anna, ben]), locale });
  const chat = useChatStore();
  chat.listen(new SignalingClient('http://aula.test', 'token'));
  const mountPanel = () => mountIn(pinia, ChatPanel);
  return { chat, panel: open ? mountPanel() : undefined, mountPanel };
}

const arrives = async (sent: ChatMessage) => {
  server.emit('chat:message', sent);
  await nextTick();
  await nextTick();
};

describe('the chat', () => {
  it('answers a private message privately: the recipient follows the sender, not "Everyone"', async () => {
    const { panel } = annasChat();
    const recipient = () => (panel!.get('[data-testid=chat-recipient]').element as HTMLSelectElement).value;
    expect(recipient()).toBe('');
    await arrives(message('m1', teacher, 'Only for you, Anna.', anna));
    expect(recipient()).toBe('t');
    expect(panel!.get('[data-testid=chat-private-hint]').text()).toContain('Frau Berg');
    panel!.unmount();
  });

  it('also when the private message arrived while the chat was closed', async () => {
    const { mountPanel } = annasChat('en', { open: false });
    await arrives(message('m1', teacher, 'Only for you, Anna.', anna));
    const panel = mountPanel();
    await nextTick();
    expect((panel.get('[data-testid=chat-recipient]').element as HTMLSelectElement).value).toBe('t');
    panel.unmount();
  });

  it('keeps the recipient of a message already being written', async () => {
    const { chat, panel } = annasChat();
    chat.draft = 'For everyone: ';
    await arrives(message('m1', teacher, 'Only for you, Anna.', anna));
    expect((panel!.get('[data-testid=chat-recipient]').element as HTMLSelectElement).value).toBe('');
    panel!.unmount();
  });

  it('offers Reply on a private message, which addresses its sender', async () => {
    const { panel: opened } = annasChat();
    const panel = opened!;
    await arrives(message('m1', ben, 'Hello all'));
    await arrives(message('m2', teacher, 'Only for you, Anna.', anna));
    const select = panel.get('[data-testid=chat-recipient]');
    await select.setValue('');
    const replies = panel.findAll('[data-testid=chat-reply]');
    expect(replies).toHaveLength(1);
    await replies[0]!.trigger('click');
    expect((select.element as HTMLSelectElement).value).toBe('t');
    panel.unmount();
  });

  it('writes times in the format of the locale, not as "01:05 PM" for a German page', async () => {
    const { panel } = annasChat('de');
    await arrives(message('m1', ben, 'Hallo'));
    expect(panel!.get('[data-testid=chat-time]').text()).toBe('13:05');
    panel!.unmount();
  });
});
