import type { ChatMessage } from '../../../protocol/index.js';
import type { StoredChatMessage } from '../../ChatLog.js';
import type { GroupContext } from '../groups/GroupContext.js';
import type { Participant } from '../Participant.js';

const HISTORY_LIMIT = 200;

/**
 * A group's chat in the lesson: public messages to everyone in the group,
 * private ones to one person. Messages are delivered at once and kept in memory for this
 * lesson as well as in the database, so a page entering or coming back gets
 * its history even while the database is away.
 */
export class Chat {
  private readonly createdAt = Date.now();
  private memory: { lessonId: string; complete: boolean; messages: StoredChatMessage[] } | undefined;

  constructor(private readonly ctx: GroupContext) {}

  /** The permission to check was the handler's; here the message is kept, then delivered. */
  send(sender: Participant, text: string, recipient: Participant | undefined): ChatMessage {
    const lesson = this.ctx.lesson!;
    const stored = this.ctx.services.chat.append(this.ctx.classroomId, lesson._id, {
      fromUserKey: sender.userKey,
      fromName: sender.displayName,
      ...(recipient ? { toUserKey: recipient.userKey, toName: recipient.displayName } : {}),
      text,
    });
    const memory = this.lessonMemory(lesson._id, lesson.startedAt);
    memory.messages.push(stored);
    if (memory.messages.length > HISTORY_LIMIT) {
      memory.messages.shift();
      memory.complete = false;
    }
    const message: ChatMessage = {
      ...this.view(stored),
      from: { id: sender.id, displayName: sender.displayName },
      ...(recipient ? { to: { id: recipient.id, displayName: recipient.displayName } } : {}),
    };
    if (recipient) {
      recipient.emit('chat:message', message);
      if (recipient !== sender) sender.emit('chat:message', message);
    } else {
      this.ctx.members.broadcast('chat:message', message);
    }
    return message;
  }

  /** What a participant sees on entering: public messages and their own private ones. */
  async historyFor(participant: Participant): Promise<ChatMessage[]> {
    const lesson = this.ctx.lesson!;
    const memory = this.lessonMemory(lesson._id, lesson.startedAt);
    const visible = (stored: StoredChatMessage) =>
      !stored.toUserKey ||
      stored.toUserKey === participant.userKey ||
      stored.fromUserKey === participant.userKey;
    let history = memory.messages.filter(visible);
    if (!memory.complete && this.ctx.services.databaseHealth.isAvailable) {
      // Earlier messages of a lesson this process did not see from its start (a restart) are in the database.
      const recent = history;
      const stored = await this.ctx.services.databaseHealth
        .guard(() => this.ctx.services.chat.history(lesson._id, participant.userKey, HISTORY_LIMIT))
        .catch(() => []);
      // Messages still waiting in the write-behind queue are only in memory.
      const known = new Set(stored.map((message) => message.id));
      history = [...stored, ...recent.filter((message) => !known.has(message.id))].slice(-HISTORY_LIMIT);
    }
    return history.map((stored) => this.view(stored));
  }

  private lessonMemory(lessonId: string, startedAt: Date) {
    if (this.memory?.lessonId !== lessonId) {
      // A lesson that started after this room existed had all its messages pass through here.
      this.memory = { lessonId, complete: startedAt.getTime() >= this.createdAt, messages: [] };
    }
    return this.memory;
  }

  /** Names come from the record (someone who left keeps theirs); ids from whoever is here now. */
  private view(stored: StoredChatMessage): ChatMessage {
    const idOf = (userKey: string) =>
      this.ctx.members.inLesson().find((member) => member.userKey === userKey)?.id ?? '';
    return {
      id: stored.id,
      from: { id: idOf(stored.fromUserKey), displayName: stored.fromName },
      ...(stored.toUserKey ? { to: { id: idOf(stored.toUserKey), displayName: stored.toName ?? '' } } : {}),
      text: stored.text,
      sentAt: stored.sentAt.getTime(),
    };
  }
}
