//! Views kept between ticks: each object in a room some player sees keeps the view last built
//! for it ([`ShownView`]) and is viewed again only when one of its components changed since
//! the last views (bevy's change ticks, as `hash_cache.rs` does for the state hash), it gained
//! or lost one, its `notifyWhenAttacked` flag flipped, a player's name changed, or its view
//! reads the game time (invader cores, power banks, deposits, controllers). An unchanged object
//! costs a reference count, where building its view cost a dozen allocations.
//!
//! [`GameWorld::player_views`] is here: it has the world mutably and advances the change tick
//! afterwards, so every later change is newer than the views. A test compares
//! its views with views built from scratch after every scenario tick.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use bevy_ecs::component::Tick;
use bevy_ecs::prelude::*;

use crate::change_ticks::{changed_since, presence, record, Tracked};
use crate::game_world::GameWorld;
use crate::object::*;
use crate::room_map::RoomMap;
use crate::view::{ObjectView, WorldViews};

/// The view last built for an object, and which optional components it had then. Not state:
/// not in snapshots, not hashed. Dropped while nobody sees the object's room (its changes are
/// not followed then).
#[derive(Component, Debug, Default)]
pub(crate) struct ShownView {
    view: Option<Arc<ObjectView>>,
    had: u8,
    /// The view's `quiet`, kept here: reading it from the view touched a cold cache line of
    /// every seen object's view on every pass (a third of the pass).
    quiet: bool,
}

/// The change tick of the last views, and the player names they were built with.
#[derive(Resource, Debug, Default)]
pub(crate) struct ViewedAt {
    at: Option<Tick>,
    names: BTreeMap<PlayerId, String>,
}

/// The views of the objects in the seen rooms, grouped by room and sorted by id within each.
pub(crate) struct ShownViews {
    views: Vec<Arc<ObjectView>>,
    /// Where each room's views start in `views`, one entry per room and one past the end.
    starts: Vec<usize>,
}

impl ShownViews {
    /// The views of room number `room` (none for a room nobody sees).
    pub fn room(&self, room: usize) -> &[Arc<ObjectView>] {
        match (self.starts.get(room), self.starts.get(room + 1)) {
            (Some(a), Some(b)) => &self.views[*a..*b],
            _ => &[],
        }
    }
}

impl GameWorld {
    /// [`GameWorld::views`] of only the rooms some player sees: what a shard copies into the
    /// player runtimes each tick (a large map's other rooms cost nothing then). Objects that
    /// did not change since the last call keep their views (`view_cache.rs`).
    pub fn player_views(&mut self) -> WorldViews {
        let names = self.view_names();
        let visible = self.visible_rooms();
        let mut seen = vec![false; self.map().rooms.len()];
        // Players' rooms only: what NPCs own is nobody's view.
        let players = self.players().iter().filter_map(|p| visible.get(&p.id));
        for room in players.flatten() {
            if let Some(s) = seen.get_mut(room.0 as usize) {
                *s = true;
            }
        }
        let tick = self.time();
        let shown = shown_views(&mut self.world, &seen, tick, &names);
        self.assemble_views(&names, &visible, Some(&seen), |room, _| {
            shown.room(room).to_vec()
        })
    }
}

/// The views of every object in a room marked in `seen` (indexed by room number), rebuilding
/// only what changed since the last call.
pub(crate) fn shown_views(
    world: &mut World,
    seen: &[bool],
    tick: u64,
    names: &BTreeMap<PlayerId, String>,
) -> ShownViews {
    // The map is taken out while the objects are borrowed mutably (room names for the views).
    world.resource_scope(|world, map: Mut<RoomMap>| refresh(world, &map, seen, tick, names))
}

fn refresh(
    world: &mut World,
    map: &RoomMap,
    seen: &[bool],
    tick: u64,
    names: &BTreeMap<PlayerId, String>,
) -> ShownViews {
    world.init_resource::<ViewedAt>();
    give_every_object_a_slot(world);
    let quiet: BTreeSet<ObjectId> = world.resource::<crate::state::Quiet>().0.clone();
    let mut viewed = world.resource_mut::<ViewedAt>();
    if viewed.names != *names {
        // A renamed or new player: every owner's name may be stale.
        viewed.names = names.clone();
        viewed.at = None;
    }
    let since = viewed.at;
    let now = world.change_tick();
    let rooms = seen.len();
    let mut shown: Vec<(usize, ObjectId, Arc<ObjectView>)> = Vec::new();
    let mut q = world.query::<(Tracked, &mut ShownView)>();
    for (item, mut slot) in q.iter_mut(world) {
        let (id, pos, .., kind) = &item;
        let room = pos.room.0 as usize;
        if !seen.get(room).copied().unwrap_or(false) {
            if slot.view.is_some() {
                slot.view = None;
            }
            continue;
        }
        let had = presence(&item);
        let quiet_now = quiet.contains(*id);
        let stale = slot.view.is_none()
            || slot.had != had
            || slot.quiet != quiet_now
            || counts_from_game_time(kind)
            || changed_since(&item, since, now);
        if stale {
            let name = &map.rooms[room].name;
            let mut view = ObjectView::of_ref(&record(&item), name, tick, names);
            if quiet_now {
                view.quiet = Some(true);
            }
            // A component changed but not what the view shows (a creep aged, a controller
            // counted down: the view shows their times): the old view, and its kept
            // encoding, stay.
            if slot.view.as_deref() != Some(&view) {
                slot.view = Some(Arc::new(view));
            }
            slot.had = had;
            slot.quiet = quiet_now;
        }
        if let Some(v) = &slot.view {
            shown.push((room, **id, Arc::clone(v)));
        }
    }
    world.resource_mut::<ViewedAt>().at = Some(now);
    // Whatever changes from here on is newer than these views.
    world.increment_change_tick();
    group_by_room(shown, rooms)
}

/// Objects get their slot on their first views (a world's first views move every object once;
/// after that, what a tick made).
fn give_every_object_a_slot(world: &mut World) {
    let mut bare = world.query_filtered::<Entity, (With<ObjectId>, Without<ShownView>)>();
    let bare: Vec<Entity> = bare.iter(world).collect();
    for e in bare {
        world.entity_mut(e).insert(ShownView::default());
    }
}

/// Views that read the game time: invader cores, power banks and deposits count down from
/// it, and a controller's `downgradeTime` is the time plus its timer, which a controller
/// might hold still for a tick. Built again every time (kept if the same).
fn counts_from_game_time(kind: &ObjectKind) -> bool {
    matches!(
        kind,
        ObjectKind::InvaderCore(_)
            | ObjectKind::PowerBank(_)
            | ObjectKind::Deposit(_)
            | ObjectKind::Controller(_)
    )
}

/// A counting sort by room, then each room's few objects sorted by id.
fn group_by_room(shown: Vec<(usize, ObjectId, Arc<ObjectView>)>, rooms: usize) -> ShownViews {
    let mut starts = vec![0usize; rooms + 1];
    for (room, ..) in &shown {
        starts[room + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut slots: Vec<Option<(ObjectId, Arc<ObjectView>)>> = Vec::new();
    slots.resize_with(shown.len(), || None);
    let mut next = starts.clone();
    for (room, id, view) in shown {
        slots[next[room]] = Some((id, view));
        next[room] += 1;
    }
    let mut sorted: Vec<(ObjectId, Arc<ObjectView>)> = slots.into_iter().flatten().collect();
    for room in 0..rooms {
        sorted[starts[room]..starts[room + 1]].sort_unstable_by_key(|(id, _)| *id);
    }
    ShownViews {
        views: sorted.into_iter().map(|(_, v)| v).collect(),
        starts,
    }
}
