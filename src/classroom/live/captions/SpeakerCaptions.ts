import type { SpeakerStream, SpeechCaptioning } from '../../../captions/SpeechCaptioning.js';
import type { RecognizedText } from '../../../captions/speechEngine.js';
import type { Group } from '../groups/Group.js';
import type { Participant } from '../Participant.js';

/** Microphones captioned at once per group: the active speaker and the one before (a dialogue). */
const MAX_STREAMS = 2;

/**
 * Automatic captions of one group: the active speaker's microphone, taken
 * out of the SFU and recognised, while anyone in the group has captions on.
 * A new active speaker gets a stream; the least recently active one closes
 * beyond two.
 */
export class SpeakerCaptions {
  private readonly streams = new Map<
    string,
    { producerId: string; stream: Promise<SpeakerStream | undefined> }
  >();
  private readonly onSpeaker = (participantId: string) => void this.speakerChanged(participantId);
  private running = false;

  constructor(
    private readonly group: Group,
    private readonly speech: SpeechCaptioning,
    private readonly heard: (speaker: Participant, recognized: RecognizedText) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.group.media.on('dominantSpeaker', this.onSpeaker);
    const current = this.group.spotlight.activeSpeaker;
    if (current) void this.speakerChanged(current);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.group.media.off('dominantSpeaker', this.onSpeaker);
    for (const participantId of [...this.streams.keys()]) this.drop(participantId);
  }

  /** How many microphones are being captioned (for the benchmark and the operator). */
  get streaming(): number {
    return this.streams.size;
  }

  private async speakerChanged(participantId: string): Promise<void> {
    const speaker = this.group.members.get(participantId);
    const mic = speaker && this.group.media.find(speaker)?.producer('mic');
    const router = mic && this.group.media.routers?.producerRouter(mic.id);
    if (!this.running || !speaker || !mic || !router) return;
    const known = this.streams.get(participantId);
    if (known?.producerId === mic.id) {
      // Most recently active last: the eviction below takes the oldest.
      this.streams.delete(participantId);
      this.streams.set(participantId, known);
      return;
    }
    if (known) this.drop(participantId);
    const stream = this.speech.open(router, mic.id).then(
      (opened) => {
        if (this.streams.get(participantId)?.stream !== stream) {
          opened.close();
          return undefined;
        }
        opened.on('text', (recognized) => this.heard(speaker, recognized));
        opened.once('closed', () => {
          if (this.streams.get(participantId)?.stream === stream) this.streams.delete(participantId);
        });
        return opened;
      },
      (error: unknown) => {
        this.group.ctx.logger.warn(
          { err: error, participantId },
          'speakerChanged() | no captions for speaker',
        );
        if (this.streams.get(participantId)?.stream === stream) this.streams.delete(participantId);
        return undefined;
      },
    );
    this.streams.set(participantId, { producerId: mic.id, stream });
    while (this.streams.size > MAX_STREAMS) this.drop(this.streams.keys().next().value!);
  }

  private drop(participantId: string): void {
    const entry = this.streams.get(participantId);
    this.streams.delete(participantId);
    void entry?.stream.then((stream) => stream?.close());
  }
}
