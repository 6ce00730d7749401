import type { ChatMessage } from '../../signaling/protocol.js';
import type { StoredChatMessage } from '../ChatLog.js';
import type { Participant } from './Participant.js';
import type { RoomContext } from './RoomContext.js';

/** The lesson's chat: public messages to everyone joined, private ones to one person. */
export class Chat {
  constructor(private readonly ctx: RoomContext) {}

  /** The permission to check was the handler's; here the message is stored, then delivered. */
  async send(sender: Participant, text: string, recipient: Participant | undefined): Promise<ChatMessage> {
    const lesson = this.ctx.lesson!;
    const stored = await this.ctx.services.chat.append(this.ctx.classroomId, lesson._id, {
      fromUserKey: sender.userKey,
      fromName: sender.displayName,
      ...(recipient ? { toUserKey: recipient.userKey, toName: recipient.displayName } : {}),
      text,
    });
    const message: ChatMessage = {
      ...this.view(stored),
      from: { id: sender.id, displayName: sender.displayName },
      ...(recipient ? { to: { id: recipient.id, displayName: recipient.displayName } } : {}),
    };
    if (recipient) {
      recipient.emit('chat:message', message);
      if (recipient !== sender) sender.emit('chat:message', message);
    } else {
      this.ctx.roster.broadcast('chat:message', message);
    }
    return message;
  }

  /** What a participant sees on entering: public messages and their own private ones. */
  async historyFor(participant: Participant): Promise<ChatMessage[]> {
    const history = await this.ctx.services.chat.history(this.ctx.lesson!._id, participant.userKey);
    return history.map((stored) => this.view(stored));
  }

  /** Names come from the record (someone who left keeps theirs); ids from whoever is here now. */
  private view(stored: StoredChatMessage): ChatMessage {
    const idOf = (userKey: string) => this.ctx.roster.joinedTabOf(userKey)?.id ?? '';
    return {
      id: stored.id,
      from: { id: idOf(stored.fromUserKey), displayName: stored.fromName },
      ...(stored.toUserKey ? { to: { id: idOf(stored.toUserKey), displayName: stored.toName ?? '' } } : {}),
      text: stored.text,
      sentAt: stored.sentAt.getTime(),
    };
  }
}
