//! Rooms, positions and directions.

use serde::{Deserialize, Serialize};

/// Tiles per room side.
pub const ROOM_SIZE: u8 = 50;

/// Index of a room in the world's room list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoomId(pub u16);

/// A room's place in the Screeps grid: x < 0 is west (`W{-x-1}`), y < 0 is north (`N{-y-1}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoomCoord {
    pub x: i32,
    pub y: i32,
}

impl RoomCoord {
    /// The Screeps room name (`W1N1`, `E0S0`, …).
    pub fn name(self) -> String {
        let (ew, xn) = if self.x < 0 {
            ('W', -self.x - 1)
        } else {
            ('E', self.x)
        };
        let (ns, yn) = if self.y < 0 {
            ('N', -self.y - 1)
        } else {
            ('S', self.y)
        };
        format!("{ew}{xn}{ns}{yn}")
    }

    /// Parses a Screeps room name.
    pub fn parse(name: &str) -> Option<RoomCoord> {
        let bytes = name.as_bytes();
        let ew = *bytes.first()?;
        let split = name[1..].find(['N', 'S'])? + 1;
        let xn: i32 = name[1..split].parse().ok()?;
        let ns = bytes[split];
        let yn: i32 = name[split + 1..].parse().ok()?;
        let x = match ew {
            b'W' => -xn - 1,
            b'E' => xn,
            _ => return None,
        };
        let y = match ns {
            b'N' => -yn - 1,
            b'S' => yn,
            _ => return None,
        };
        Some(RoomCoord { x, y })
    }
}

/// A tile in a room.
#[derive(
    bevy_ecs::component::Component,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
)]
pub struct Position {
    pub room: RoomId,
    pub x: u8,
    pub y: u8,
}

impl Position {
    pub fn new(room: RoomId, x: u8, y: u8) -> Self {
        Position { room, x, y }
    }

    /// Chebyshev distance; `u32::MAX` across rooms.
    pub fn range_to(self, other: Position) -> u32 {
        if self.room != other.room {
            return u32::MAX;
        }
        let dx = (self.x as i32 - other.x as i32).unsigned_abs();
        let dy = (self.y as i32 - other.y as i32).unsigned_abs();
        dx.max(dy)
    }

    pub fn is_near_to(self, other: Position) -> bool {
        self.range_to(other) <= 1
    }

    pub fn in_range_to(self, other: Position, range: u32) -> bool {
        self.range_to(other) <= range
    }

    /// The neighbouring tile in `dir`, if still inside the room.
    pub fn step(self, dir: Direction) -> Option<Position> {
        let (dx, dy) = dir.delta();
        let x = self.x as i32 + dx;
        let y = self.y as i32 + dy;
        if !(0..ROOM_SIZE as i32).contains(&x) || !(0..ROOM_SIZE as i32).contains(&y) {
            return None;
        }
        Some(Position::new(self.room, x as u8, y as u8))
    }

    /// Whether the tile is on the room border (exits live there; nothing can be built there).
    pub fn is_edge(self) -> bool {
        self.x == 0 || self.y == 0 || self.x == ROOM_SIZE - 1 || self.y == ROOM_SIZE - 1
    }

    /// Direction from `self` to an adjacent-or-farther tile in the same room (Screeps'
    /// getDirectionTo on the dominant axis pair).
    pub fn direction_to(self, other: Position) -> Option<Direction> {
        let dx = (other.x as i32 - self.x as i32).signum();
        let dy = (other.y as i32 - self.y as i32).signum();
        Direction::from_delta(dx, dy)
    }
}

/// Screeps' eight directions, `TOP` = 1 clockwise to `TOP_LEFT` = 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Direction {
    Top = 1,
    TopRight = 2,
    Right = 3,
    BottomRight = 4,
    Bottom = 5,
    BottomLeft = 6,
    Left = 7,
    TopLeft = 8,
}

impl Direction {
    pub const ALL: [Direction; 8] = [
        Direction::Top,
        Direction::TopRight,
        Direction::Right,
        Direction::BottomRight,
        Direction::Bottom,
        Direction::BottomLeft,
        Direction::Left,
        Direction::TopLeft,
    ];

    pub fn from_number(n: u8) -> Option<Direction> {
        Direction::ALL.get((n as usize).checked_sub(1)?).copied()
    }

    pub fn delta(self) -> (i32, i32) {
        match self {
            Direction::Top => (0, -1),
            Direction::TopRight => (1, -1),
            Direction::Right => (1, 0),
            Direction::BottomRight => (1, 1),
            Direction::Bottom => (0, 1),
            Direction::BottomLeft => (-1, 1),
            Direction::Left => (-1, 0),
            Direction::TopLeft => (-1, -1),
        }
    }

    pub fn from_delta(dx: i32, dy: i32) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.delta() == (dx, dy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_names_round_trip() {
        for (x, y, name) in [
            (0, 0, "E0S0"),
            (-1, -1, "W0N0"),
            (-2, 1, "W1S1"),
            (3, -4, "E3N3"),
        ] {
            let c = RoomCoord { x, y };
            assert_eq!(c.name(), name);
            assert_eq!(RoomCoord::parse(name), Some(c));
        }
        assert_eq!(RoomCoord::parse("X1N1"), None);
        assert_eq!(RoomCoord::parse("W1"), None);
    }

    #[test]
    fn steps_and_ranges() {
        let p = Position::new(RoomId(0), 10, 10);
        assert_eq!(
            p.step(Direction::Top),
            Some(Position::new(RoomId(0), 10, 9))
        );
        assert_eq!(
            Position::new(RoomId(0), 0, 0).step(Direction::TopLeft),
            None
        );
        assert_eq!(p.range_to(Position::new(RoomId(0), 13, 8)), 3);
        assert_eq!(
            p.direction_to(Position::new(RoomId(0), 11, 11)),
            Some(Direction::BottomRight)
        );
    }
}
