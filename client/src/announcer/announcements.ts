/**
 * What the page tells a screen reader in passing, as typed events. Most are
 * polite (said when the reader is idle, several gathered into one sentence:
 * "3 people joined"); a few are assertive: they change what the person can do
 * or ask them to act ("You were muted by the teacher"). New kinds (captions,
 * recording, encryption) are added here with their words in the locale files
 * under `announce`.
 */
export type Announcement =
  | { kind: 'joined'; name: string }
  | { kind: 'left'; name: string }
  | { kind: 'hand'; name: string }
  | { kind: 'chat'; name: string; private: boolean }
  | { kind: 'waiting'; name: string }
  | { kind: 'moved'; group: string | null }
  | { kind: 'breakoutMessage'; from: string; text: string }
  | { kind: 'pollStarted'; question: string }
  | { kind: 'pollClosed'; question: string }
  | { kind: 'pollShared'; question: string }
  /** A notice the page also shows; urgent ones change what the person can do (muted by the teacher). */
  | { kind: 'notice'; text: string; urgent?: boolean }
  | { kind: 'removed' }
  | { kind: 'lessonEnded' }
  | { kind: 'breakoutsClosing'; seconds: number }
  | { kind: 'breakoutsEnding'; minutes: number }
  | { kind: 'recordingStarted' }
  | { kind: 'recordingStopped' };

export type AnnouncementKind = Announcement['kind'];

/** The kinds a person may switch off in the settings; the rest are always said. */
export const OPTIONAL_KINDS = ['joined', 'left', 'hand', 'chat', 'waiting'] as const;
export type OptionalKind = (typeof OPTIONAL_KINDS)[number];

const ASSERTIVE: ReadonlySet<AnnouncementKind> = new Set([
  'removed',
  'lessonEnded',
  'breakoutsClosing',
  'breakoutsEnding',
  // Being recorded (or no longer) changes what a person may want to say or show.
  'recordingStarted',
]);

export function isAssertive(announcement: Announcement): boolean {
  return ASSERTIVE.has(announcement.kind) || (announcement.kind === 'notice' && Boolean(announcement.urgent));
}

export function isOptional(kind: AnnouncementKind): kind is OptionalKind {
  return (OPTIONAL_KINDS as readonly string[]).includes(kind);
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** People named once each, in the order they came. */
const distinct = (names: string[]) => [...new Set(names)];

/** One kind's events of a batch as one sentence: a name when there is one, a count when there are more. */
function gathered(kind: AnnouncementKind, batch: Announcement[], t: Translate): string[] {
  const of = <K extends AnnouncementKind>(k: K) =>
    batch.filter((a): a is Extract<Announcement, { kind: K }> => a.kind === k);
  switch (kind) {
    case 'joined':
    case 'left':
    case 'hand':
    case 'waiting': {
      const names = distinct(of(kind).map((a) => a.name));
      return [
        names.length === 1
          ? t(`announce.${kind}.one`, { name: names[0]! })
          : t(`announce.${kind}.many`, { count: names.length }),
      ];
    }
    case 'chat': {
      const messages = of('chat');
      const names = distinct(messages.map((a) => a.name));
      if (names.length > 1) return [t('announce.chat.many', { count: messages.length })];
      if (messages.length > 1)
        return [t('announce.chat.several', { count: messages.length, name: names[0]! })];
      return [t(messages[0]!.private ? 'announce.chat.private' : 'announce.chat.one', { name: names[0]! })];
    }
    case 'moved':
      return of('moved').map((a) =>
        a.group === null ? t('announce.movedMain') : t('announce.moved', { group: a.group }),
      );
    case 'breakoutMessage':
      return of('breakoutMessage').map((a) => t('announce.breakoutMessage', { from: a.from, text: a.text }));
    case 'pollStarted':
    case 'pollClosed':
    case 'pollShared':
      return of(kind).map((a) => t(`announce.${kind}`, { question: a.question }));
    case 'notice':
      return distinct(of('notice').map((a) => a.text));
    case 'removed':
      return [t('announce.removed')];
    case 'lessonEnded':
      return [t('announce.lessonEnded')];
    case 'breakoutsClosing':
      return of('breakoutsClosing').map((a) => t('announce.breakoutsClosing', { seconds: a.seconds }));
    case 'breakoutsEnding':
      return of('breakoutsEnding').map((a) => t('announce.breakoutsEnding', { count: a.minutes }));
    case 'recordingStarted':
      return [t('recording.announce.started')];
    case 'recordingStopped':
      return [t('recording.announce.stopped')];
  }
}

/**
 * A batch of announcements as the sentences to say, one per kind, in the
 * order each kind first came: three joins and two messages become
 * "3 people joined. 2 new messages".
 */
export function announcementText(batch: Announcement[], t: Translate): string {
  const kinds = distinct(batch.map((a) => a.kind)) as AnnouncementKind[];
  return kinds
    .flatMap((kind) => gathered(kind, batch, t))
    .map((sentence) => (/[.!?…]$/.test(sentence) ? sentence : `${sentence}.`))
    .join(' ');
}
