/**
 * Topics as socket.io rooms keep them, for fakes of a connection: who is
 * in which topic, and a publish that reaches each of them (but the sender,
 * when asked) through its own `emit`, as the adapter's broadcast does.
 */
export class FakeTopics<C extends { emit(event: never, payload: never): void }> {
  private readonly members = new Map<string, Set<C>>();

  join(topic: string, member: C): void {
    let members = this.members.get(topic);
    if (!members) this.members.set(topic, (members = new Set()));
    members.add(member);
  }

  leave(topic: string, member: C): void {
    this.members.get(topic)?.delete(member);
  }

  publish(topic: string, event: string, payload: unknown, except?: C): void {
    for (const member of this.members.get(topic) ?? []) {
      if (member !== except) (member.emit as (event: string, payload: unknown) => void)(event, payload);
    }
  }

  /** Who is in a topic now. */
  of(topic: string): C[] {
    return [...(this.members.get(topic) ?? [])];
  }
}
