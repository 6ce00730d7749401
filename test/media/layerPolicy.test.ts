import { describe, expect, it } from 'vitest';
import { decideLayers, layersWanted, type LayerContext } from '../../src/media/layerPolicy.js';
import { LayerDemand } from '../../src/media/LayerDemand.js';

const tile: LayerContext = {
  source: 'camera',
  participantsPresent: 20,
  visible: true,
  focused: false,
  maxSpatialLayer: 2,
  tilesShown: 9,
};

describe('layer policy', () => {
  it('gives small tiles fewer frames: every frame up to 4 tiles, half up to 9, a quarter beyond', () => {
    expect([4, 9, 17].map((tilesShown) => decideLayers({ ...tile, tilesShown }).temporalLayer)).toEqual([
      2, 1, 0,
    ]);
    expect(decideLayers({ ...tile, tilesShown: 17 }).spatialLayer).toBe(0);
  });

  it('asks senders for the layers up to the highest one consumed, none for a paused consumer', () => {
    expect(layersWanted(decideLayers({ ...tile, focused: true }), true)).toBe(2);
    expect(layersWanted(decideLayers({ ...tile, visible: false }), true)).toBe(0);
    expect(layersWanted(decideLayers({ ...tile, source: 'screen', maxSpatialLayer: 0 }), false)).toBe(1);
  });
});

describe('layer demand', () => {
  it('tells a sender the most any consumer wants, and only when it changes', () => {
    const demand = new LayerDemand();
    demand.track('p');
    expect(demand.changes()).toEqual([{ producerId: 'p', spatialLayers: 0 }]);
    demand.set('p', 'c1', 1);
    demand.set('p', 'c2', 2);
    expect(demand.changes()).toEqual([{ producerId: 'p', spatialLayers: 2 }]);
    demand.set('p', 'c1', 1);
    expect(demand.changes()).toEqual([]);
    demand.forget('p', 'c2');
    expect(demand.changes()).toEqual([{ producerId: 'p', spatialLayers: 1 }]);
    demand.drop('p');
    demand.set('p', 'c1', 3);
    expect(demand.changes()).toEqual([{ producerId: 'p', spatialLayers: 3 }]);
  });
});
