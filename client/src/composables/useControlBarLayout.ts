import { computed } from 'vue';
import { useWindowWidth } from './useWindowWidth';

/**
 * Which controls the bar shows itself and which go into "More", by the
 * window's width: labels under the icons where there is room, one row on a
 * phone (390 px), every control reachable at 320 px.
 */
export function useControlBarLayout() {
  const width = useWindowWidth();
  // On a phone the screen share and the captions switch move into "More" so that the bar fits one row.
  const phone = computed(() => width.value < 560);
  return {
    // Below 960 px: icons with tooltips and hidden labels.
    labels: computed(() => width.value >= 960),
    screenInMore: phone,
    captionsInMore: phone,
    // The teacher's poll and breakout rooms join the bar where it has room for two more controls.
    teachingInMore: computed(() => width.value < 720),
  };
}
