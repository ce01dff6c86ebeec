//! The open list of screeps/driver's path finder (`native/src/pf.h`, `heap_t`): a binary heap
//! over node indices whose priorities live in a table beside it. Ported operation for
//! operation, because which of two equal-cost nodes comes out first decides which of two
//! equal paths a bot gets, and bots compare paths with Screeps'.

/// Screeps' bound on open nodes: a node opens at most 8 neighbours, so 1/8 of all nodes.
pub(super) const HEAP_CAPACITY: usize = 2500 * super::MAX_ROOMS / 8;

pub(super) struct OpenList {
    /// Indexed by node index; grows as rooms are added.
    priorities: Vec<u32>,
    /// 1-based: `heap[0]` is unused.
    heap: Vec<u32>,
}

impl OpenList {
    pub(super) fn new() -> OpenList {
        OpenList {
            priorities: Vec::new(),
            heap: vec![0],
        }
    }

    /// Makes room for node indices below `nodes`.
    pub(super) fn grow(&mut self, nodes: usize) {
        if self.priorities.len() < nodes {
            self.priorities.resize(nodes, 0);
        }
    }

    pub(super) fn clear(&mut self) {
        self.heap.truncate(1);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.heap.len() == 1
    }

    pub(super) fn priority(&self, index: u32) -> u32 {
        self.priorities[index as usize]
    }

    fn size(&self) -> usize {
        self.heap.len() - 1
    }

    pub(super) fn pop(&mut self) -> (u32, u32) {
        let top = self.heap[1];
        let ret = (top, self.priorities[top as usize]);
        let last = self.heap.pop().unwrap_or(top);
        let size = self.size();
        if size == 0 {
            return ret;
        }
        self.heap[1] = last;
        let p = |h: &Vec<u32>, i: usize| self.priorities[h[i] as usize];
        let mut vv = 1;
        loop {
            let uu = vv;
            if (uu << 1) < size {
                if p(&self.heap, uu) >= p(&self.heap, uu << 1) {
                    vv = uu << 1;
                }
                if p(&self.heap, vv) >= p(&self.heap, (uu << 1) + 1) {
                    vv = (uu << 1) + 1;
                }
            } else if uu << 1 <= size && p(&self.heap, uu) >= p(&self.heap, uu << 1) {
                vv = uu << 1;
            }
            if uu == vv {
                return ret;
            }
            self.heap.swap(uu, vv);
        }
    }

    /// # Errors
    /// Screeps' "Max heap" when the list is full.
    pub(super) fn insert(&mut self, index: u32, priority: u32) -> Result<(), &'static str> {
        if self.size() == HEAP_CAPACITY - 1 {
            return Err("Max heap");
        }
        self.priorities[index as usize] = priority;
        self.heap.push(index);
        self.bubble_up(self.size());
        Ok(())
    }

    /// Lowers `index`'s priority (a linear search for its slot, as Screeps does).
    pub(super) fn update(&mut self, index: u32, priority: u32) {
        for ii in (1..=self.size()).rev() {
            if self.heap[ii] == index {
                self.priorities[index as usize] = priority;
                self.bubble_up(ii);
                return;
            }
        }
    }

    fn bubble_up(&mut self, mut ii: usize) {
        while ii != 1 {
            let (here, parent) = (self.heap[ii], self.heap[ii >> 1]);
            if self.priorities[here as usize] <= self.priorities[parent as usize] {
                self.heap.swap(ii, ii >> 1);
                ii >>= 1;
            } else {
                return;
            }
        }
    }
}

/// Which nodes are open or closed, cleared in O(1) by moving the marker (Screeps'
/// `open_closed_t`).
pub(super) struct OpenClosed {
    list: Vec<u32>,
    marker: u32,
}

impl OpenClosed {
    pub(super) fn new() -> OpenClosed {
        OpenClosed {
            list: Vec::new(),
            marker: 1,
        }
    }

    pub(super) fn grow(&mut self, nodes: usize) {
        if self.list.len() < nodes {
            self.list.resize(nodes, 0);
        }
    }

    pub(super) fn clear(&mut self) {
        if u32::MAX - 2 <= self.marker {
            self.list.fill(0);
            self.marker = 1;
        } else {
            self.marker += 2;
        }
    }

    pub(super) fn is_open(&self, index: u32) -> bool {
        self.list[index as usize] == self.marker
    }

    pub(super) fn is_closed(&self, index: u32) -> bool {
        self.list[index as usize] == self.marker + 1
    }

    pub(super) fn open(&mut self, index: u32) {
        self.list[index as usize] = self.marker;
    }

    pub(super) fn close(&mut self, index: u32) {
        self.list[index as usize] = self.marker + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_priority_order_and_an_update_moves_a_node_up() {
        let mut h = OpenList::new();
        h.grow(10);
        for (i, p) in [(1, 50), (2, 20), (3, 40), (4, 10), (5, 30)] {
            h.insert(i, p).unwrap();
        }
        h.update(1, 5);
        let order: Vec<u32> = std::iter::from_fn(|| (!h.is_empty()).then(|| h.pop().0)).collect();
        assert_eq!(order, [1, 4, 2, 5, 3]);
    }

    #[test]
    fn the_marker_clears_open_and_closed_at_once() {
        let mut oc = OpenClosed::new();
        oc.grow(4);
        oc.open(1);
        oc.close(2);
        assert!(oc.is_open(1) && oc.is_closed(2));
        oc.clear();
        assert!(!oc.is_open(1) && !oc.is_closed(2));
    }
}
