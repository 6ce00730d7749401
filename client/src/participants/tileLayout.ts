/**
 * Where tiles go on the stage: pure geometry, from the stage's size. Every
 * tile is 16:9 and never smaller than MIN_TILE; the page size is how many
 * tiles fit at that size (capped, so a big screen does not receive fifty
 * videos at once).
 */
export interface Size {
  width: number;
  height: number;
}

export const MIN_TILE: Size = { width: 160, height: 90 };
export const GAP = 8;
/** Most tiles on one page, whatever the screen. */
export const MAX_PER_PAGE = 25;
/** Height of the pager row below the tiles when there is more than one page. */
export const PAGER_HEIGHT = 44;

const RATIO = 16 / 9;

const fits = (tile: Size) => tile.width >= MIN_TILE.width - 0.5 && tile.height >= MIN_TILE.height - 0.5;

/** The largest 16:9 box inside an area. */
export function fitBox(area: Size): Size {
  const width = Math.max(0, Math.min(area.width, area.height * RATIO));
  return { width: Math.floor(width), height: Math.floor(width / RATIO) };
}

export interface Grid {
  columns: number;
  rows: number;
  tile: Size;
}

/** The columns and rows that give `count` tiles the largest size in the area. */
export function gridFit(count: number, area: Size, gap = GAP): Grid {
  let best: Grid = { columns: 1, rows: 1, tile: { width: 0, height: 0 } };
  for (let columns = 1; columns <= Math.max(1, count); columns++) {
    const rows = Math.ceil(Math.max(1, count) / columns);
    const tile = fitBox({
      width: (area.width - (columns - 1) * gap) / columns,
      height: (area.height - (rows - 1) * gap) / rows,
    });
    if (tile.width > best.tile.width) best = { columns, rows, tile };
  }
  return best;
}

/** How many tiles fit in the area at least at MIN_TILE (at least one). */
export function gridCapacity(area: Size, gap = GAP, max = MAX_PER_PAGE): number {
  let capacity = 1;
  for (let count = 2; count <= max; count++) {
    if (!fits(gridFit(count, area, gap).tile)) break;
    capacity = count;
  }
  return capacity;
}

export type StageLayout =
  | { mode: 'grid'; grid: Grid; perPage: number; pager: boolean }
  | {
      mode: 'focus';
      /** Where the strip of other tiles sits next to the large one. */
      strip: 'bottom' | 'side' | 'none';
      focus: Size;
      grid: Grid;
      perPage: number;
      pager: boolean;
    };

/**
 * The focus with the other tiles beside it: below it (the focus as wide as
 * the stage, up to 62 % of its height) or at its side (up to 75 % of its
 * width); the rest of the stage is a grid of small tiles.
 */
function focusWith(area: Size, tiles: number, side: boolean): { focus: Size; grid: Grid; capacity: number } {
  const focus = side
    ? fitBox({ width: area.width * 0.75, height: area.height })
    : fitBox({ width: area.width, height: area.height * 0.62 });
  const rest = side
    ? { width: area.width - focus.width - GAP, height: area.height }
    : { width: area.width, height: area.height - focus.height - GAP };
  if (!fits(fitBox(rest))) return { focus, grid: gridFit(0, rest), capacity: 0 };
  const capacity = gridCapacity(rest);
  return { focus, grid: gridFit(Math.min(tiles, capacity), rest), capacity };
}

/**
 * The stage's layout for `tiles` small tiles, with or without one large
 * focus (a spotlighted person or a shared screen). With a focus the strip
 * goes where the focus stays largest; without room for both, a person in
 * focus joins the grid rather than shrinking below a tile's size, and a
 * screen (`keepFocus`) keeps the whole stage.
 */
export function stageLayout(
  stage: Size,
  options: { focus: boolean; tiles: number; keepFocus?: boolean },
): StageLayout {
  const area = {
    width: Math.max(stage.width, MIN_TILE.width),
    height: Math.max(stage.height, MIN_TILE.height),
  };
  const withPager = { width: area.width, height: area.height - PAGER_HEIGHT };
  const focusAlone: StageLayout = {
    mode: 'focus',
    strip: 'none',
    focus: fitBox(area),
    grid: gridFit(0, area),
    perPage: 0,
    pager: false,
  };
  if (options.focus) {
    if (options.tiles === 0) return focusAlone;
    const candidates = [false, true].flatMap((side) => {
      let fitted = focusWith(area, options.tiles, side);
      let pager = false;
      if (fitted.capacity < options.tiles) {
        fitted = focusWith(withPager, options.tiles, side);
        pager = true;
      }
      return fitted.capacity > 0 && fits(fitted.focus) && fits(fitted.grid.tile)
        ? [{ ...fitted, side, pager }]
        : [];
    });
    const best = candidates.sort((a, b) => b.focus.width - a.focus.width || b.capacity - a.capacity)[0];
    if (best) {
      return {
        mode: 'focus',
        strip: best.side ? 'side' : 'bottom',
        focus: best.focus,
        grid: best.grid,
        perPage: best.capacity,
        pager: best.pager,
      };
    }
  }
  // A shared screen cannot become a tile: it keeps the stage, the tiles wait on their pages.
  if (options.focus && options.keepFocus) return focusAlone;
  const count = options.tiles + (options.focus ? 1 : 0);
  let perPage = gridCapacity(area);
  let pager = false;
  if (count > perPage) {
    perPage = gridCapacity(withPager);
    pager = true;
  }
  const grid = gridFit(Math.min(count, perPage), pager ? withPager : area);
  return { mode: 'grid', grid, perPage, pager };
}
