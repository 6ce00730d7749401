import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ChatMessage } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useAnnouncerStore } from './announcer';
import { useParticipantsStore } from './participants';
import { useSignalingRequests } from './signalingRequests';

/** The lesson's chat: its messages, what this page has not read yet, and sending. */
export const useChatStore = defineStore('chat', () => {
  const { attach, act } = useSignalingRequests();
  const participants = useParticipantsStore();
  const announcer = useAnnouncerStore();
  const messages = ref<ChatMessage[]>([]);
  const unread = ref(0);
  const open = ref(false);
  /** What is being written, and to whom ('' for everyone); kept while the panel is closed. */
  const draft = ref('');
  const recipient = ref('');

  /** The messages sent before we entered, as the server keeps them. */
  function enter(history: ChatMessage[]): void {
    messages.value = history;
  }

  function listen(client: SignalingClient): () => void {
    const detach = attach(client);
    const off = client.on('chat:message', (message) => {
      messages.value.push(message);
      // A private message to us: the answer goes back privately, so nobody answers everyone by
      // mistake. A message already being written keeps the recipient chosen for it.
      if (message.to?.id === participants.self?.id && !draft.value.trim()) recipient.value = message.from.id;
      if (message.from.id === participants.self?.id) return;
      announcer.announce({ kind: 'chat', name: message.from.displayName, private: Boolean(message.to) });
      if (!open.value || document.hidden) {
        unread.value += 1;
        notifyBrowser(message);
      }
    });
    return () => {
      off();
      detach();
    };
  }

  /** A private message when `to` names a participant; answers whether the server took it. */
  async function send(text: string, to?: string): Promise<boolean> {
    return Boolean(await act('chat:send', to ? { text, to } : { text }));
  }

  function setOpen(isOpen: boolean): void {
    open.value = isOpen;
    if (isOpen) unread.value = 0;
  }

  return { messages, unread, open, draft, recipient, enter, listen, send, setOpen };
});

/** While the tab is in the background, a message shows as a system notification (if the user allowed them). */
function notifyBrowser(message: ChatMessage): void {
  if (!document.hidden || typeof Notification === 'undefined' || Notification.permission !== 'granted')
    return;
  new Notification(message.from.displayName, { body: message.text.slice(0, 140), tag: 'aula-chat' });
}
