//! Room terrain and its deterministic generation.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::geometry::ROOM_SIZE;

const N: usize = ROOM_SIZE as usize;

/// One tile's terrain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tile {
    Plain = 0,
    Wall = 1,
    Swamp = 2,
}

/// 50×50 tiles, row-major (`y * 50 + x`), two bits each: 625 bytes a room, so a
/// 10 000-room map holds its terrain in 6 MB.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terrain {
    packed: Vec<u8>,
}

const PACKED_LEN: usize = N * N / 4;

impl std::fmt::Debug for Terrain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Terrain({} walls)",
            self.tiles().filter(|t| *t == Tile::Wall).count()
        )
    }
}

/// Which borders of a room open into a neighbour, and where: for each side (top, right,
/// bottom, left) the open tile indices along that side.
#[derive(Debug, Clone, Default)]
pub struct ExitLayout {
    pub top: Vec<u8>,
    pub right: Vec<u8>,
    pub bottom: Vec<u8>,
    pub left: Vec<u8>,
}

impl Terrain {
    /// All plain, walled border.
    pub fn walled() -> Self {
        let mut t = Terrain {
            packed: vec![0; PACKED_LEN],
        };
        for i in 0..N {
            t.set(i as u8, 0, Tile::Wall);
            t.set(i as u8, (N - 1) as u8, Tile::Wall);
            t.set(0, i as u8, Tile::Wall);
            t.set((N - 1) as u8, i as u8, Tile::Wall);
        }
        t
    }

    pub fn get(&self, x: u8, y: u8) -> Tile {
        self.at(y as usize * N + x as usize)
    }

    /// Whether `(x, y)` (not on the border) is a wall with an open tile beside it: where the
    /// backend puts power banks and deposits (`isWall && hasExit`).
    pub fn is_wall_by_open(&self, x: u8, y: u8) -> bool {
        let open = |dx: i32, dy: i32| {
            self.get((i32::from(x) + dx) as u8, (i32::from(y) + dy) as u8) != Tile::Wall
        };
        self.get(x, y) == Tile::Wall && (-1..=1).any(|dy| (-1..=1).any(|dx| open(dx, dy)))
    }

    /// Whether the room has such a wall between 5 and 44 both ways, where they are drawn.
    /// This world's highways are open, and may have none: then an open tile serves.
    pub fn has_wall_by_open(&self) -> bool {
        (5u8..45).any(|x| (5u8..45).any(|y| self.is_wall_by_open(x, y)))
    }

    fn at(&self, i: usize) -> Tile {
        match (self.packed[i / 4] >> ((i % 4) * 2)) & 3 {
            1 => Tile::Wall,
            2 => Tile::Swamp,
            _ => Tile::Plain,
        }
    }

    fn set(&mut self, x: u8, y: u8, tile: Tile) {
        self.set_at(y as usize * N + x as usize, tile);
    }

    fn set_at(&mut self, i: usize, tile: Tile) {
        let shift = (i % 4) * 2;
        let byte = &mut self.packed[i / 4];
        *byte = (*byte & !(3 << shift)) | ((tile as u8) << shift);
    }

    /// Every tile, row-major.
    fn tiles(&self) -> impl Iterator<Item = Tile> + '_ {
        (0..N * N).map(|i| self.at(i))
    }

    /// Screeps' terrain string: one digit per tile, row-major, `0` plain, `1` wall, `2` swamp.
    pub fn encode(&self) -> String {
        self.tiles().map(|t| char::from(b'0' + t as u8)).collect()
    }

    /// Inverse of [`Terrain::encode`].
    pub fn decode(s: &str) -> Option<Terrain> {
        if s.len() != N * N {
            return None;
        }
        let mut t = Terrain {
            packed: vec![0; PACKED_LEN],
        };
        for (i, b) in s.bytes().enumerate() {
            let tile = match b {
                b'0' => Tile::Plain,
                b'1' => Tile::Wall,
                b'2' => Tile::Swamp,
                _ => return None,
            };
            t.set_at(i, tile);
        }
        Some(t)
    }

    /// Generates a room: wall and swamp blobs by cellular automaton (`wall_percent` of the
    /// first noise is wall), border walls with the given exits open, every walkable tile
    /// connected to every exit.
    pub fn generate(rng: &mut ChaCha8Rng, exits: &ExitLayout, wall_percent: u32) -> Terrain {
        let mut t = Terrain::walled();
        // Interior noise.
        let mut wall = vec![false; N * N];
        for y in 1..N - 1 {
            for x in 1..N - 1 {
                wall[y * N + x] = rng.gen_range(0..100) < wall_percent;
            }
        }
        for _ in 0..4 {
            let prev = wall.clone();
            for y in 1..N - 1 {
                for x in 1..N - 1 {
                    let mut n = 0;
                    for dy in -1i32..=1 {
                        for dx in -1i32..=1 {
                            let (xx, yy) = (x as i32 + dx, y as i32 + dy);
                            if xx <= 0 || yy <= 0 || xx >= N as i32 - 1 || yy >= N as i32 - 1 {
                                n += 1;
                            } else if prev[yy as usize * N + xx as usize] {
                                n += 1;
                            }
                        }
                    }
                    wall[y * N + x] = n >= 5;
                }
            }
        }
        // Keep a 3-tile margin inside the border open so exits lead somewhere.
        for y in 1..N - 1 {
            for x in 1..N - 1 {
                let margin = x <= 3 || y <= 3 || x >= N - 4 || y >= N - 4;
                if wall[y * N + x] && !margin {
                    t.set(x as u8, y as u8, Tile::Wall);
                }
            }
        }
        // Swamp patches.
        for _ in 0..rng.gen_range(2..6) {
            let cx = rng.gen_range(5..N - 5) as i32;
            let cy = rng.gen_range(5..N - 5) as i32;
            let r = rng.gen_range(2..5);
            for y in (cy - r).max(1)..=(cy + r).min(N as i32 - 2) {
                for x in (cx - r).max(1)..=(cx + r).min(N as i32 - 2) {
                    if (x - cx).pow(2) + (y - cy).pow(2) <= r * r
                        && t.get(x as u8, y as u8) == Tile::Plain
                    {
                        t.set(x as u8, y as u8, Tile::Swamp);
                    }
                }
            }
        }
        for &i in &exits.top {
            t.set(i, 0, Tile::Plain);
        }
        for &i in &exits.bottom {
            t.set(i, (N - 1) as u8, Tile::Plain);
        }
        for &i in &exits.left {
            t.set(0, i, Tile::Plain);
        }
        for &i in &exits.right {
            t.set((N - 1) as u8, i, Tile::Plain);
        }
        t.connect();
        t
    }

    /// Walls off every walkable pocket not connected to the largest region.
    fn connect(&mut self) {
        let mut region = vec![usize::MAX; N * N];
        let mut sizes = Vec::new();
        for start in 0..N * N {
            if region[start] != usize::MAX || self.at(start) == Tile::Wall {
                continue;
            }
            let id = sizes.len();
            let mut stack = vec![start];
            region[start] = id;
            let mut size = 0;
            while let Some(i) = stack.pop() {
                size += 1;
                let (x, y) = ((i % N) as i32, (i / N) as i32);
                for dy in -1..=1 {
                    for dx in -1..=1 {
                        let (xx, yy) = (x + dx, y + dy);
                        if xx < 0 || yy < 0 || xx >= N as i32 || yy >= N as i32 {
                            continue;
                        }
                        let j = yy as usize * N + xx as usize;
                        if region[j] == usize::MAX && self.at(j) != Tile::Wall {
                            region[j] = id;
                            stack.push(j);
                        }
                    }
                }
            }
            sizes.push(size);
        }
        let Some(main) = sizes
            .iter()
            .enumerate()
            .max_by_key(|(i, s)| (**s, usize::MAX - i))
            .map(|(i, _)| i)
        else {
            return;
        };
        for (i, r) in region.iter().enumerate() {
            if *r != main && self.at(i) != Tile::Wall {
                self.set_at(i, Tile::Wall);
            }
        }
    }

    pub fn is_walkable(&self, x: u8, y: u8) -> bool {
        self.get(x, y) != Tile::Wall
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn generation_is_deterministic_and_connected() {
        let exits = ExitLayout {
            top: (10..20).collect(),
            right: vec![],
            bottom: (30..35).collect(),
            left: vec![25, 26],
        };
        let a = Terrain::generate(&mut ChaCha8Rng::seed_from_u64(7), &exits, 38);
        let b = Terrain::generate(&mut ChaCha8Rng::seed_from_u64(7), &exits, 38);
        assert_eq!(a, b);
        // Exits stay open and the border elsewhere is wall.
        assert!(a.is_walkable(12, 0) && a.is_walkable(0, 25) && a.is_walkable(31, 49));
        assert!(!a.is_walkable(49, 20) && !a.is_walkable(5, 0));
        assert_eq!(Terrain::decode(&a.encode()), Some(a));
    }
}
