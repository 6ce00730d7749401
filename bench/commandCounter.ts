/** What the MongoDB driver's command monitoring emits; both driver versions in the tree share this shape. */
interface CommandEmitter {
  on(event: 'commandStarted', listener: (event: CommandStartedLike) => void): unknown;
  off(event: 'commandStarted', listener: (event: CommandStartedLike) => void): unknown;
}

interface CommandStartedLike {
  commandName: string;
  command: Record<string, unknown>;
}

/** Handshakes and heartbeats are the driver's own traffic, not the application's round trips. */
const DRIVER_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo']);

/**
 * Counts the database commands an application sends through one or more
 * MongoDB clients (the URI must carry `monitorCommands=true`), by
 * `command collection`, between start() and stop().
 */
export class CommandCounter {
  private readonly counts = new Map<string, number>();
  private readonly listener = (event: CommandStartedLike) => {
    if (DRIVER_COMMANDS.has(event.commandName)) return;
    const target = event.command[event.commandName];
    const key = `${event.commandName} ${typeof target === 'string' ? target : ''}`.trim();
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  };

  constructor(private readonly clients: CommandEmitter[]) {}

  start(): void {
    this.counts.clear();
    for (const client of this.clients) client.on('commandStarted', this.listener);
  }

  stop(): { total: number; byCommand: Record<string, number> } {
    for (const client of this.clients) client.off('commandStarted', this.listener);
    const byCommand = Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]));
    return { total: [...this.counts.values()].reduce((sum, count) => sum + count, 0), byCommand };
  }
}

/** Adds `monitorCommands=true` to a connection string, so its clients emit command events. */
export function withCommandMonitoring(uri: string): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
}
