import { describe, expect, it } from 'vitest';
import VideoTile from '@/components/VideoTile.vue';
import { gradeSample } from '@/composables/useConnectionQuality';
import type { InboundStats } from '@/media/mediaStats';
import { inLesson, mountIn, participant, roomWith } from './support/classroomPage';

const stat = (consumerId: string, participantId: string, received: number, lost: number): InboundStats => ({
  consumerId,
  participantId,
  source: 'camera',
  kind: 'video',
  paused: false,
  packetsReceived: received,
  packetsLost: lost,
  bytesReceived: 0,
  framesReceived: 0,
  framesDecoded: 0,
  frameWidth: 0,
  frameHeight: 0,
  jitter: 0.01,
});

describe('connection quality per participant', () => {
  it('grades each sender from their own packets since the last sample', () => {
    const first = gradeSample([stat('c1', 'anna', 1000, 0), stat('c2', 'ben', 1000, 0)], new Map());
    const second = gradeSample([stat('c1', 'anna', 2000, 0), stat('c2', 'ben', 1500, 20)], first.counters);
    expect(second.byParticipant).toEqual({ anna: 'good', ben: 'fair' });
    expect(second.overall).toBe('good');
  });

  it('shows the grade on the tile, named for screen readers', () => {
    const anna = participant('anna', 'Anna Weber');
    const pinia = inLesson({ self: anna, room: roomWith([anna]) });
    const tile = mountIn(pinia, VideoTile, {
      props: { participant: participant('ben', 'Ben Schulz'), quality: 'poor' },
    });
    expect(tile.get('[data-testid=tile-quality]').attributes('aria-label')).toBe('Poor connection');
    expect(tile.find('[data-testid=tile-quality] svg').exists()).toBe(true);
    tile.unmount();
  });
});
