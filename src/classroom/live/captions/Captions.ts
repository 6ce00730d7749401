import type { RecognizedText } from '../../../captions/speechEngine.js';
import {
  CAPTION_HISTORY_LINES,
  type CaptionLine,
  type CaptionSource,
  type CaptionsState,
} from '../../../protocol/index.js';
import { ConflictError } from '../../../shared/errors.js';
import { randomId } from '../../../shared/ids.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Group } from '../groups/Group.js';
import type { Groups } from '../groups/Groups.js';
import type { Participant } from '../Participant.js';
import type { Views } from '../Views.js';
import type { Captioners } from './Captioners.js';
import { captionsAvailable } from './captionsAvailability.js';
import { SpeakerCaptions } from './SpeakerCaptions.js';

/**
 * Live captions of a class: the lines captioners type and the speech
 * engine recognises, each in its group, delivered only to the pages that
 * switched captions on. A short history per group lives in memory for the
 * lesson; the database sees a line only when the teacher keeps a
 * transcript.
 */
export class Captions {
  /** Participant ids of the pages with captions on. */
  private readonly enabled = new Set<string>();
  private readonly history = new Map<Group, CaptionLine[]>();
  private readonly automatic = new Map<Group, SpeakerCaptions>();

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly groups: Groups,
    private readonly views: Views,
    private readonly captioners: Captioners,
  ) {}

  state(viewer: Participant): CaptionsState {
    const engine = this.ctx.services.captions.speech?.engine;
    const available = captionsAvailable(this.ctx.classroom);
    return {
      available,
      automatic: available && engine !== undefined,
      language: engine?.language ?? null,
      enabled: this.enabled.has(viewer.id),
      captioners: this.captioners.among(this.ctx.roster.inLesson()),
      transcript: this.captioners.transcriptKept,
    };
  }

  /** A page switches captions on (and gets its group's recent lines) or off. */
  enable(participant: Participant, on: boolean): { state: CaptionsState; history: CaptionLine[] } {
    if (on) this.requireAvailable();
    if (on) this.enabled.add(participant.id);
    else this.enabled.delete(participant.id);
    const group = this.groups.of(participant);
    if (group) this.listenTo(group);
    return {
      state: this.state(participant),
      history: on && group ? [...(this.history.get(group) ?? [])] : [],
    };
  }

  /** A captioner's line, to their group. */
  send(captioner: Participant, group: Group, text: string): CaptionLine {
    this.requireAvailable();
    return this.deliver(group, captioner, { text, final: true }, 'typed');
  }

  /** A teacher gives or takes the captioner role; the person's page learns what it may do now. */
  setCaptioner(participant: Participant, allowed: boolean): void {
    this.captioners.choose(participant, allowed);
    participant.emit('permissionsChanged', this.views.permissions(participant));
    this.broadcastState();
  }

  keepTranscript(keep: boolean): void {
    if (keep) this.requireAvailable();
    this.captioners.keepTranscript(keep);
    this.ctx.logger.info({ keep }, 'keepTranscript() | caption transcript switched');
    this.broadcastState();
  }

  /**
   * Someone left the lesson: their page gets nothing more, and a group where
   * nobody has captions on stops being captioned. (A page that moves to
   * another group switches captions on again there, for that group's lines.)
   */
  forget(participant: Participant): void {
    this.enabled.delete(participant.id);
    const open = new Set(this.groups.all());
    for (const group of this.automatic.keys()) {
      if (open.has(group)) this.listenTo(group);
      else this.stopListening(group);
    }
  }

  /** The lesson ended: captions and history end with it (roles and the transcript switch with its record). */
  endLesson(): void {
    for (const speech of this.automatic.values()) speech.stop();
    this.automatic.clear();
    this.history.clear();
    this.enabled.clear();
  }

  /** Microphones captioned now, over every group. */
  get streaming(): number {
    return [...this.automatic.values()].reduce((sum, speech) => sum + speech.streaming, 0);
  }

  private requireAvailable(): void {
    if (!captionsAvailable(this.ctx.classroom)) {
      throw new ConflictError(
        'Captions are not available in an end-to-end encrypted lesson',
        'CAPTIONS_UNAVAILABLE',
      );
    }
  }

  /** Automatic captions run in a group while anyone there has captions on. */
  private listenTo(group: Group): void {
    const speech = this.ctx.services.captions.speech;
    if (!speech) return;
    const wanted =
      captionsAvailable(this.ctx.classroom) &&
      group.members.joined().some((member) => this.enabled.has(member.id));
    let running = this.automatic.get(group);
    if (wanted && !running) {
      running = new SpeakerCaptions(group, speech, (speaker, heard) => this.heard(group, speaker, heard));
      this.automatic.set(group, running);
      running.start();
    } else if (!wanted && running) {
      this.stopListening(group);
    }
  }

  private stopListening(group: Group): void {
    this.automatic.get(group)?.stop();
    this.automatic.delete(group);
  }

  private heard(group: Group, speaker: Participant, recognized: RecognizedText): void {
    if (!group.members.has(speaker)) return;
    this.deliver(group, speaker, recognized, 'automatic');
  }

  private deliver(
    group: Group,
    speaker: Participant,
    { text, final }: RecognizedText,
    source: CaptionSource,
  ): CaptionLine {
    const line: CaptionLine = {
      id: randomId(),
      text,
      source,
      speaker: { id: speaker.id, displayName: speaker.displayName },
      final,
      at: Date.now(),
    };
    for (const member of group.members.joined()) {
      if (this.enabled.has(member.id)) member.emit('captions:line', line);
    }
    if (!final) return line;
    const lines = this.history.get(group) ?? [];
    lines.push(line);
    if (lines.length > CAPTION_HISTORY_LINES) lines.shift();
    this.history.set(group, lines);
    const lesson = this.ctx.lesson;
    if (lesson?.keepTranscript) {
      this.ctx.services.captions.transcripts.append(
        { classroomId: this.ctx.classroomId, lessonId: lesson._id, groupId: group.info?.id ?? null },
        line,
        speaker.userKey,
      );
    }
    return line;
  }

  private broadcastState(): void {
    for (const participant of this.ctx.roster.joined())
      participant.emit('captions:state', this.state(participant));
  }
}
