import { afterEach, describe, expect, it, vi } from 'vitest';
import { CameraLayers } from '@/media/CameraLayers';
import { FakeProducer, fakeTrack } from '../support/fakeMediasoup';

afterEach(() => vi.restoreAllMocks());

/** A camera sent as a producer would be: its encodings planned by the layers. */
function camera(height = 720, options: { maxHeight?: number } = {}) {
  const layers = new CameraLayers();
  const track = fakeTrack('video', height, options);
  const producer = new FakeProducer('p1', 'video', track, layers.encodingsFor(track));
  return { layers, track, producer };
}

const scales = (producer: FakeProducer) =>
  producer.parameters.encodings.map((encoding) => encoding.scaleResolutionDownBy);

describe('the camera layers', () => {
  it('plans a 720p camera as three layers, each scaled down from the capture', () => {
    const { producer } = camera(720);
    expect(scales(producer)).toEqual([3, 1.5, 1]);
    expect(producer.parameters.encodings.map((encoding) => encoding.maxBitrate)).toEqual([
      100_000, 380_000, 900_000,
    ]);
  });

  it('sends nothing until the server says what is consumed', async () => {
    const { layers, producer } = camera();
    layers.apply('camera', producer);
    await layers.settled();
    expect(producer.setMaxSpatialLayer).not.toHaveBeenCalled();
  });

  it('switches off the layers nobody watches and captures only 240p while only tiles are watched', async () => {
    const { layers, track, producer } = camera();
    layers.setConsumed('p1', 1);
    layers.apply('camera', producer);
    await layers.settled();
    expect(producer.setMaxSpatialLayer).toHaveBeenCalledWith(0);
    expect(track.getSettings().height).toBe(240);
    expect(scales(producer)).toEqual([1, 1, 1]);
    expect(producer.parameters.degradationPreference).toBe('maintain-resolution');
  });

  it('captures 480p again once a spotlight watches, the tile layer scaled down from it', async () => {
    const { layers, track, producer } = camera();
    layers.setConsumed('p1', 1);
    layers.apply('camera', producer);
    layers.setConsumed('p1', 2);
    layers.apply('camera', producer);
    await layers.settled();
    // The first step was overtaken before it ran: only the latest word counts.
    expect(producer.setMaxSpatialLayer.mock.calls).toEqual([[1]]);
    expect(track.getSettings().height).toBe(480);
    expect(scales(producer)).toEqual([2, 1, 1]);
  });

  it('scales the layers to what a camera gives when it cannot give the size asked', async () => {
    const { layers, track, producer } = camera(720, { maxHeight: 720 });
    track.applyConstraints.mockImplementation(async () => undefined);
    layers.setConsumed('p1', 2);
    layers.apply('camera', producer);
    await layers.settled();
    expect(track.getSettings().height).toBe(720);
    expect(scales(producer)).toEqual([3, 1.5, 1]);
  });

  it('keeps the layers planned from the first capture when the same track is sent again after a rebuild', async () => {
    const { layers, track, producer } = camera();
    layers.setConsumed('p1', 1);
    layers.apply('camera', producer);
    await layers.settled();
    expect(track.getSettings().height).toBe(240);
    // Sent again at 240p: still three layers (a fresh 240p camera would have one).
    expect(layers.encodingsFor(track)).toHaveLength(3);
    expect(new CameraLayers().encodingsFor(fakeTrack('video', 240))).toHaveLength(1);
  });

  it('only switches layers of a screen share, never its capture', async () => {
    const layers = new CameraLayers();
    const track = fakeTrack('video', 1080);
    const screen = new FakeProducer('s1', 'video', track, [{ maxBitrate: 2_500_000 }]);
    layers.setConsumed('s1', 1);
    layers.apply('screen', screen);
    await layers.settled();
    expect(screen.setMaxSpatialLayer).toHaveBeenCalledWith(0);
    expect(track.applyConstraints).not.toHaveBeenCalled();
  });

  it('leaves a producer that closed, and forgets what was consumed of it', async () => {
    const { layers, producer } = camera();
    layers.setConsumed('p1', 1);
    producer.close();
    layers.apply('camera', producer);
    layers.forget('p1');
    const again = new FakeProducer('p1', 'video', fakeTrack('video'));
    layers.apply('camera', again);
    await layers.settled();
    expect(producer.setMaxSpatialLayer).not.toHaveBeenCalled();
    expect(again.setMaxSpatialLayer).not.toHaveBeenCalled();
  });

  it('says on the console when a step fails, and goes on with the next', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { layers, producer } = camera();
    producer.setMaxSpatialLayer.mockRejectedValueOnce(new Error('no such layer'));
    layers.setConsumed('p1', 3);
    layers.apply('camera', producer);
    await layers.settled();
    expect(String(warn.mock.calls[0]![0])).toBe(
      'apply() | sending did not follow the consumed layers [producerId:p1] [spatialLayers:3]',
    );
    layers.setConsumed('p1', 1);
    layers.apply('camera', producer);
    await layers.settled();
    expect(producer.setMaxSpatialLayer).toHaveBeenLastCalledWith(0);
  });
});
