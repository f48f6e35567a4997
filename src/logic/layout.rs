//! Tile placement on PostHog's 12-column desktop grid (`layouts.sm`), and the order in which
//! tiles stack on narrow screens.

/// Columns of the desktop grid, as in PostHog's dashboards.
pub const COLUMNS: i64 = 12;
/// Size given to a tile with no usable layout (PostHog's default insight tile).
pub const DEFAULT_WIDTH: i64 = 6;
pub const DEFAULT_HEIGHT: i64 = 5;
/// Stops absurd heights from producing a page kilometres long.
const MAX_HEIGHT: i64 = 40;

/// A layout as stored: any value may be missing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartialRect {
    pub x: Option<i64>,
    pub y: Option<i64>,
    pub w: Option<i64>,
    pub h: Option<i64>,
}

/// A tile's place in grid units; `x` and `y` are 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

impl Rect {
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    pub fn bottom(&self) -> i64 {
        self.y + self.h
    }

    /// CSS `grid-column` (1-based lines).
    pub fn grid_column(&self) -> String {
        format!("{} / span {}", self.x + 1, self.w)
    }

    /// CSS `grid-row` (1-based lines).
    pub fn grid_row(&self) -> String {
        format!("{} / span {}", self.y + 1, self.h)
    }
}

/// Where one tile goes; `index` points into the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub index: usize,
    pub rect: Rect,
}

/// Places every tile without overlaps and returns them in visual order (top to bottom, then
/// left to right), which is also the stacking order on narrow screens.
///
/// Tiles with a complete layout keep their columns and are packed upwards like PostHog's
/// grid does; tiles with no or partial layout go below them, in the first free spot.
pub fn place_tiles(layouts: &[PartialRect]) -> Vec<Placement> {
    let (complete, partial): (Vec<_>, Vec<_>) = layouts
        .iter()
        .enumerate()
        .partition(|(_, l)| l.x.is_some() && l.y.is_some() && l.w.is_some() && l.h.is_some());

    let mut placed: Vec<Placement> = Vec::with_capacity(layouts.len());
    let mut complete: Vec<(usize, Rect)> = complete
        .into_iter()
        .map(|(index, layout)| (index, clamp(layout)))
        .collect();
    complete.sort_by_key(|(index, rect)| (rect.y, rect.x, *index));
    for (index, rect) in complete {
        let rect = pack_upwards(rect, &placed);
        placed.push(Placement { index, rect });
    }

    let below = placed.iter().map(|p| p.rect.bottom()).max().unwrap_or(0);
    for (index, layout) in partial {
        let rect = first_free_spot(layout, below, &placed);
        placed.push(Placement { index, rect });
    }

    placed.sort_by_key(|p| (p.rect.y, p.rect.x, p.index));
    placed
}

/// Keeps a complete layout inside the grid: width 1–12, x so the tile fits, y ≥ 0.
fn clamp(layout: &PartialRect) -> Rect {
    let (w, h) = size(layout);
    Rect {
        x: layout.x.unwrap_or(0).clamp(0, COLUMNS - w),
        y: layout.y.unwrap_or(0).max(0),
        w,
        h,
    }
}

fn size(layout: &PartialRect) -> (i64, i64) {
    (
        layout.w.unwrap_or(DEFAULT_WIDTH).clamp(1, COLUMNS),
        layout.h.unwrap_or(DEFAULT_HEIGHT).clamp(1, MAX_HEIGHT),
    )
}

/// Moves a tile as high as it goes without overlapping placed tiles (vertical compaction).
fn pack_upwards(rect: Rect, placed: &[Placement]) -> Rect {
    let columns_overlap = |other: &Rect| rect.x < other.x + other.w && other.x < rect.x + rect.w;
    let top = placed
        .iter()
        .map(|p| p.rect)
        .filter(columns_overlap)
        .map(|r| r.bottom())
        .max()
        .unwrap_or(0);
    // Placed tiles were sorted by y, so none of them lies below `top` in these columns.
    Rect {
        y: top.min(rect.y),
        ..rect
    }
    .pushed_below(placed)
}

impl Rect {
    /// Moves down until nothing placed overlaps.
    fn pushed_below(mut self, placed: &[Placement]) -> Rect {
        while let Some(hit) = placed.iter().find(|p| p.rect.overlaps(&self)) {
            self.y = hit.rect.bottom();
        }
        self
    }
}

/// First free spot at or below row `from`, scanning rows top-down and columns left-right;
/// a given x or size is kept where it fits.
fn first_free_spot(layout: &PartialRect, from: i64, placed: &[Placement]) -> Rect {
    let (w, h) = size(layout);
    let columns: Vec<i64> = match layout.x {
        Some(x) => vec![x.clamp(0, COLUMNS - w)],
        None => (0..=COLUMNS - w).collect(),
    };
    let mut y = from;
    loop {
        for &x in &columns {
            let rect = Rect { x, y, w, h };
            if !placed.iter().any(|p| p.rect.overlaps(&rect)) {
                return rect;
            }
        }
        y += 1;
    }
}

/// Smallest tile the grid allows.
pub const MIN_WIDTH: i64 = 1;
pub const MIN_HEIGHT: i64 = 1;

/// A tile's own smallest size in cells: react-grid-layout's `minW`/`minH` from its layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinSize {
    pub w: i64,
    pub h: i64,
}

impl MinSize {
    /// No minimum beyond the grid's own.
    pub const NONE: MinSize = MinSize {
        w: MIN_WIDTH,
        h: MIN_HEIGHT,
    };

    /// From optional `minW`/`minH` values, kept within the grid.
    pub fn from_layout(min_w: Option<i64>, min_h: Option<i64>) -> MinSize {
        MinSize {
            w: min_w.unwrap_or(MIN_WIDTH).clamp(MIN_WIDTH, COLUMNS),
            h: min_h.unwrap_or(MIN_HEIGHT).clamp(MIN_HEIGHT, MAX_HEIGHT),
        }
    }
}

/// A tile on the editable grid: its id and place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub rect: Rect,
}

/// Puts `rect` (clamped to the grid) on tile `id`, pushes every tile it collides with downwards
/// and compacts the grid upwards, as react-grid-layout's vertical compaction does. The moved tile
/// wins its spot; the result never has overlaps and is in visual order.
pub fn move_item(items: &[Item], id: i64, rect: Rect) -> Vec<Item> {
    move_item_within(items, id, rect, MinSize::NONE)
}

/// [`move_item`] for a tile that may not shrink below `min`.
pub fn move_item_within(items: &[Item], id: i64, rect: Rect, min: MinSize) -> Vec<Item> {
    let w = rect.w.clamp(min.w, COLUMNS);
    let rect = Rect {
        x: rect.x.clamp(0, COLUMNS - w),
        y: rect.y.max(0),
        w,
        h: rect.h.clamp(min.h, MAX_HEIGHT),
    };
    let mut moved: Vec<Item> = items
        .iter()
        .map(|i| if i.id == id { Item { id, rect } } else { *i })
        .collect();
    // The moved tile goes first among its row so it keeps its place; the rest fall in below.
    moved.sort_by_key(|i| (i.rect.y, i.id != id, i.rect.x, i.id));
    let mut placed: Vec<Item> = Vec::with_capacity(moved.len());
    if let Some(me) = moved.iter().find(|i| i.id == id) {
        placed.push(*me);
    }
    for item in moved.iter().filter(|i| i.id != id) {
        let mut r = item.rect;
        while let Some(hit) = placed.iter().find(|p| p.rect.overlaps(&r)) {
            r.y = hit.rect.bottom();
        }
        placed.push(Item {
            id: item.id,
            rect: r,
        });
    }
    compact(&placed)
}

/// Vertical compaction: every tile rises as far as it can, top tiles first.
/// Stable: compacting a compacted grid changes nothing.
pub fn compact(items: &[Item]) -> Vec<Item> {
    let mut sorted = items.to_vec();
    sorted.sort_by_key(|i| (i.rect.y, i.rect.x, i.id));
    let mut out: Vec<Item> = Vec::with_capacity(sorted.len());
    for item in &sorted {
        let mut r = item.rect;
        while r.y > 0
            && !out
                .iter()
                .any(|p| p.rect.overlaps(&Rect { y: r.y - 1, ..r }))
        {
            r.y -= 1;
        }
        while let Some(hit) = out.iter().find(|p| p.rect.overlaps(&r)) {
            r.y = hit.rect.bottom();
        }
        out.push(Item {
            id: item.id,
            rect: r,
        });
    }
    out.sort_by_key(|i| (i.rect.y, i.rect.x, i.id));
    out
}

/// A keyboard step: arrows move by one cell, with Shift they resize.
pub fn key_step(
    items: &[Item],
    id: i64,
    key: &str,
    resize: bool,
    min: MinSize,
) -> Option<Vec<Item>> {
    let (dx, dy) = match key {
        "ArrowLeft" => (-1, 0),
        "ArrowRight" => (1, 0),
        "ArrowUp" => (0, -1),
        "ArrowDown" => (0, 1),
        _ => return None,
    };
    let r = items.iter().find(|i| i.id == id)?.rect;
    let target = if resize {
        Rect {
            w: r.w + dx,
            h: r.h + dy,
            ..r
        }
    } else if dy > 0 {
        // Moving down past the tile below: jump under it, else compaction pulls us back.
        let below = items
            .iter()
            .filter(|i| {
                i.id != id
                    && i.rect.y >= r.bottom()
                    && i.rect.x < r.x + r.w
                    && r.x < i.rect.x + i.rect.w
            })
            .min_by_key(|i| (i.rect.y, i.rect.bottom()))
            .map_or(r.y + 1, |i| i.rect.bottom());
        Rect {
            y: below.max(r.y + 1),
            ..r
        }
    } else {
        Rect {
            x: r.x + dx,
            y: r.y + dy,
            ..r
        }
    };
    Some(move_item_within(items, id, target, min))
}

/// What a screen reader hears after a keyboard step.
pub fn describe(rect: &Rect) -> String {
    format!(
        "column {}, row {}, {} wide, {} high",
        rect.x + 1,
        rect.y + 1,
        rect.w,
        rect.h
    )
}

/// The tiles whose place differs from `saved`, in the order of `edited`.
pub fn changed(saved: &[Item], edited: &[Item]) -> Vec<Item> {
    edited
        .iter()
        .filter(|e| saved.iter().find(|s| s.id == e.id).map(|s| s.rect) != Some(e.rect))
        .copied()
        .collect()
}

/// The narrow-screen layout (`xs`, one column): tiles stacked in visual order.
pub fn stacked(items: &[Item]) -> Vec<Item> {
    let mut sorted = items.to_vec();
    sorted.sort_by_key(|i| (i.rect.y, i.rect.x, i.id));
    let mut y = 0;
    sorted
        .into_iter()
        .map(|i| {
            let rect = Rect {
                x: 0,
                y,
                w: 1,
                h: i.rect.h,
            };
            y += i.rect.h;
            Item { id: i.id, rect }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(x: i64, y: i64, w: i64, h: i64) -> PartialRect {
        PartialRect {
            x: Some(x),
            y: Some(y),
            w: Some(w),
            h: Some(h),
        }
    }

    fn rect_of(placements: &[Placement], index: usize) -> Rect {
        placements.iter().find(|p| p.index == index).unwrap().rect
    }

    fn assert_valid(placements: &[Placement], count: usize) {
        assert_eq!(placements.len(), count);
        for (i, a) in placements.iter().enumerate() {
            assert!(a.rect.x >= 0 && a.rect.x + a.rect.w <= COLUMNS, "{a:?}");
            assert!(a.rect.w >= 1 && a.rect.h >= 1);
            for b in &placements[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} overlaps {b:?}");
            }
        }
        let keys: Vec<_> = placements.iter().map(|p| (p.rect.y, p.rect.x)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "visual order");
    }

    #[test]
    fn complete_layouts_are_kept() {
        let placements = place_tiles(&[full(0, 0, 6, 5), full(6, 0, 6, 2), full(6, 2, 6, 3)]);
        assert_valid(&placements, 3);
        assert_eq!(
            rect_of(&placements, 0),
            Rect {
                x: 0,
                y: 0,
                w: 6,
                h: 5
            }
        );
        assert_eq!(
            rect_of(&placements, 1),
            Rect {
                x: 6,
                y: 0,
                w: 6,
                h: 2
            }
        );
        assert_eq!(
            rect_of(&placements, 2),
            Rect {
                x: 6,
                y: 2,
                w: 6,
                h: 3
            }
        );
    }

    #[test]
    fn overlapping_layouts_are_pushed_apart() {
        let placements = place_tiles(&[full(0, 0, 8, 4), full(4, 1, 8, 4), full(0, 0, 12, 1)]);
        assert_valid(&placements, 3);
    }

    #[test]
    fn too_wide_and_out_of_grid_layouts_are_clamped() {
        let placements = place_tiles(&[full(10, 0, 20, 3), full(-3, -2, 4, 0), full(11, 5, 4, 2)]);
        assert_valid(&placements, 3);
        assert_eq!(rect_of(&placements, 0).w, 12);
        assert_eq!(rect_of(&placements, 0).x, 0);
        assert_eq!(rect_of(&placements, 2).x, 8, "x pulled back so w=4 fits");
    }

    #[test]
    fn gaps_are_packed_upwards() {
        let placements = place_tiles(&[full(0, 0, 6, 5), full(0, 500, 6, 5)]);
        assert_eq!(rect_of(&placements, 1).y, 5);
    }

    #[test]
    fn missing_and_partial_layouts_go_below_the_rest() {
        let layouts = [
            full(0, 0, 12, 4),
            PartialRect::default(),
            PartialRect {
                w: Some(3),
                ..Default::default()
            },
            PartialRect {
                x: Some(9),
                y: Some(0),
                ..Default::default()
            },
        ];
        let placements = place_tiles(&layouts);
        assert_valid(&placements, 4);
        assert_eq!(
            rect_of(&placements, 1),
            Rect {
                x: 0,
                y: 4,
                w: 6,
                h: 5
            }
        );
        assert_eq!(
            rect_of(&placements, 2),
            Rect {
                x: 6,
                y: 4,
                w: 3,
                h: 5
            }
        );
        assert_eq!(
            rect_of(&placements, 3),
            Rect {
                x: 6,
                y: 9,
                w: 6,
                h: 5
            }
        );
    }

    #[test]
    fn no_layouts_at_all_fill_two_per_row() {
        let placements = place_tiles(&[PartialRect::default(); 5]);
        assert_valid(&placements, 5);
        let order: Vec<_> = placements.iter().map(|p| p.index).collect();
        assert_eq!(order, [0, 1, 2, 3, 4]);
        assert_eq!(
            rect_of(&placements, 4),
            Rect {
                x: 0,
                y: 10,
                w: 6,
                h: 5
            }
        );
    }

    #[test]
    fn visual_order_is_rows_then_columns_not_input_order() {
        let placements = place_tiles(&[full(6, 0, 6, 3), full(0, 3, 12, 2), full(0, 0, 6, 3)]);
        let order: Vec<_> = placements.iter().map(|p| p.index).collect();
        assert_eq!(order, [2, 0, 1]);
    }

    #[test]
    fn many_random_layouts_never_overlap() {
        let mut seed = 7u64;
        let mut next = |m: i64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(m) - 2
        };
        let layouts: Vec<_> = (0..60)
            .map(|i| PartialRect {
                x: (i % 7 != 0).then(|| next(14)),
                y: (i % 5 != 0).then(|| next(30)),
                w: Some(next(16)),
                h: (i % 3 != 0).then(|| next(8)),
            })
            .collect();
        assert_valid(&place_tiles(&layouts), 60);
    }

    #[test]
    fn css_positions_are_one_based() {
        let rect = Rect {
            x: 6,
            y: 2,
            w: 6,
            h: 3,
        };
        assert_eq!(rect.grid_column(), "7 / span 6");
        assert_eq!(rect.grid_row(), "3 / span 3");
    }

    fn items(rects: &[(i64, i64, i64, i64)]) -> Vec<Item> {
        rects
            .iter()
            .enumerate()
            .map(|(i, &(x, y, w, h))| Item {
                id: i as i64 + 1,
                rect: Rect { x, y, w, h },
            })
            .collect()
    }

    fn assert_grid(items: &[Item]) {
        for (i, a) in items.iter().enumerate() {
            assert!(
                a.rect.x >= 0 && a.rect.x + a.rect.w <= COLUMNS && a.rect.y >= 0,
                "{a:?}"
            );
            assert!(a.rect.w >= MIN_WIDTH && a.rect.h >= MIN_HEIGHT);
            for b in &items[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} overlaps {b:?}");
            }
        }
    }

    fn find(items: &[Item], id: i64) -> Rect {
        items.iter().find(|i| i.id == id).unwrap().rect
    }

    #[test]
    fn dropping_on_a_tile_pushes_it_down() {
        let grid = items(&[(0, 0, 6, 4), (6, 0, 6, 4)]);
        let moved = move_item(
            &grid,
            2,
            Rect {
                x: 0,
                y: 0,
                w: 6,
                h: 4,
            },
        );
        assert_grid(&moved);
        assert_eq!(
            find(&moved, 2),
            Rect {
                x: 0,
                y: 0,
                w: 6,
                h: 4
            }
        );
        assert_eq!(
            find(&moved, 1),
            Rect {
                x: 0,
                y: 4,
                w: 6,
                h: 4
            }
        );
    }

    #[test]
    fn gaps_close_upwards_after_a_move() {
        let grid = items(&[(0, 0, 12, 3), (0, 3, 12, 3)]);
        let moved = move_item(
            &grid,
            1,
            Rect {
                x: 0,
                y: 10,
                w: 6,
                h: 3,
            },
        );
        assert_eq!(find(&moved, 2).y, 0);
        assert_eq!(find(&moved, 1).y, 3);
    }

    #[test]
    fn resizing_is_clamped_to_the_grid() {
        let grid = items(&[(6, 0, 6, 4)]);
        let moved = move_item(
            &grid,
            1,
            Rect {
                x: 6,
                y: 0,
                w: 9,
                h: 0,
            },
        );
        assert_eq!(
            find(&moved, 1),
            Rect {
                x: 3,
                y: 0,
                w: 9,
                h: 1
            }
        );
    }

    #[test]
    fn keyboard_moves_and_resizes() {
        let grid = items(&[(0, 0, 6, 4), (0, 4, 6, 2)]);
        let right = key_step(&grid, 1, "ArrowRight", false, MinSize::NONE).unwrap();
        assert_eq!(find(&right, 1).x, 1);
        let down = key_step(&grid, 1, "ArrowDown", false, MinSize::NONE).unwrap();
        assert_eq!(find(&down, 1).y, 2, "jumps below the tile under it");
        assert_eq!(find(&down, 2).y, 0);
        let wider = key_step(&grid, 1, "ArrowRight", true, MinSize::NONE).unwrap();
        assert_eq!(find(&wider, 1).w, 7);
        assert_eq!(key_step(&grid, 1, "Enter", false, MinSize::NONE), None);
        assert_eq!(
            describe(&find(&wider, 1)),
            "column 1, row 1, 7 wide, 4 high"
        );
    }

    #[test]
    fn diff_lists_only_changed_tiles_and_xs_stacks() {
        let saved = items(&[(0, 0, 6, 4), (6, 0, 6, 4)]);
        let edited = move_item(
            &saved,
            2,
            Rect {
                x: 6,
                y: 0,
                w: 6,
                h: 2,
            },
        );
        assert_eq!(
            changed(&saved, &edited)
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>(),
            [2]
        );
        let xs = stacked(&edited);
        assert_eq!(
            xs[1].rect,
            Rect {
                x: 0,
                y: 4,
                w: 1,
                h: 2
            }
        );
    }

    #[test]
    fn random_sequences_never_overlap_and_compaction_is_stable() {
        let mut seed = 11u64;
        let mut next = |m: i64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(m)
        };
        for _ in 0..200 {
            let n = 1 + next(12);
            let mut grid = compact(
                &(0..n)
                    .map(|id| {
                        let w = 1 + next(12);
                        Item {
                            id,
                            rect: Rect {
                                x: next(13 - w),
                                y: next(20),
                                w,
                                h: 1 + next(6),
                            },
                        }
                    })
                    .fold(Vec::new(), |acc: Vec<Item>, item| {
                        let mut acc = acc;
                        acc.push(item);
                        move_item(&acc, item.id, item.rect)
                    }),
            );
            for _ in 0..20 {
                let id = next(n);
                grid = match next(3) {
                    0 => move_item(
                        &grid,
                        id,
                        Rect {
                            x: next(16) - 2,
                            y: next(20) - 2,
                            w: next(14),
                            h: next(8),
                        },
                    ),
                    1 => key_step(
                        &grid,
                        id,
                        ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"][next(4) as usize],
                        false,
                        MinSize::NONE,
                    )
                    .unwrap(),
                    _ => key_step(
                        &grid,
                        id,
                        ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"][next(4) as usize],
                        true,
                        MinSize::NONE,
                    )
                    .unwrap(),
                };
                assert_grid(&grid);
                assert_eq!(grid.len(), n as usize);
                let settled = compact(&grid);
                assert_eq!(compact(&settled), settled, "compaction is stable");
            }
        }
    }

    #[test]
    fn a_tiles_own_minimum_size_holds() {
        let grid = items(&[(0, 0, 6, 5)]);
        let min = MinSize::from_layout(Some(3), Some(5));
        let squeezed = Rect {
            x: 0,
            y: 0,
            w: 1,
            h: 1,
        };
        let moved = move_item_within(&grid, 1, squeezed, min);
        assert_eq!((moved[0].rect.w, moved[0].rect.h), (3, 5));
        assert!(key_step(&grid, 1, "ArrowUp", true, min).unwrap()[0].rect.h >= 5);
        assert_eq!(
            MinSize::from_layout(Some(99), None),
            MinSize {
                w: COLUMNS,
                h: MIN_HEIGHT
            }
        );
    }
}
