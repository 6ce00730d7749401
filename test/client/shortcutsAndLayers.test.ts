import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useShortcuts } from '@/composables/useShortcuts';
import { cameraEncodings, cameraLayers, captureHeightFor, TILE_HEIGHT } from '@/media/encodings';

describe('useShortcuts', () => {
  function mountWith(run: () => void) {
    return mount(
      defineComponent({
        setup() {
          useShortcuts(() => [{ key: 'm', label: 'shortcuts.mic', run }]);
          return () => h('input', { id: 'field' });
        },
      }),
      { attachTo: document.body },
    );
  }

  it('runs on its key, not while typing, not with modifiers, and stops after unmount', () => {
    const run = vi.fn();
    const wrapper = mountWith(run);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'M' }));
    expect(run).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'm', ctrlKey: true }));
    expect(run).toHaveBeenCalledTimes(1);
    const input = document.getElementById('field')!;
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'm', bubbles: true }));
    expect(run).toHaveBeenCalledTimes(1);
    wrapper.unmount();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'm' }));
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('camera simulcast layers', () => {
  const encodings = (height: number) => cameraEncodings(cameraLayers(height), height);

  it('sends 427x240 as the first layer, then 480p, then the capture', () => {
    const layers = encodings(720);
    expect(layers.map((layer) => 720 / layer.scaleResolutionDownBy!)).toEqual([TILE_HEIGHT, 480, 720]);
    expect(layers.every((layer) => layer.scalabilityMode === 'L1T3')).toBe(true);
    // The base layer is what 50-seat classes mostly receive: keep it small.
    expect(layers[0]!.maxBitrate).toBeLessThanOrEqual(200_000);
    // A student may send 2 Mbit/s: every layer must fit, or browsers leave the top one empty.
    expect(layers.reduce((sum, layer) => sum + layer.maxBitrate!, 0)).toBeLessThan(1_500_000);
  });

  it('sends fewer layers from smaller cameras', () => {
    expect(encodings(360).map((layer) => 360 / layer.scaleResolutionDownBy!)).toEqual([240, 360]);
    expect(encodings(240)).toHaveLength(1);
  });

  it('captures 427x240 unless a higher layer is consumed', () => {
    const layers = cameraLayers(720);
    expect([0, 1, 2, 3].map((consumed) => captureHeightFor(layers, consumed))).toEqual([240, 240, 480, 720]);
    // Captured at 240p, the tile layer is the capture itself.
    expect(cameraEncodings(layers, 240)[0]!.scaleResolutionDownBy).toBe(1);
  });
});
