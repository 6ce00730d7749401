import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useShortcuts } from '@/composables/useShortcuts';
import { cameraEncodings, TILE_HEIGHT } from '@/media/encodings';

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
  it('sends 427x240 as the first layer, then 480p, then the capture', () => {
    const layers = cameraEncodings(720);
    expect(layers.map((layer) => 720 / layer.scaleResolutionDownBy!)).toEqual([TILE_HEIGHT, 480, 720]);
    expect(layers.every((layer) => layer.scalabilityMode === 'L1T3')).toBe(true);
    // The base layer is what 50-seat classes mostly receive: keep it small.
    expect(layers[0]!.maxBitrate).toBeLessThanOrEqual(200_000);
  });

  it('sends fewer layers from smaller cameras', () => {
    expect(cameraEncodings(360).map((layer) => 360 / layer.scaleResolutionDownBy!)).toEqual([240, 360]);
    expect(cameraEncodings(240)).toHaveLength(1);
  });
});
