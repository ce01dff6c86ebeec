//! What the kept encodings (`hash_cache.rs`: the state hash's records; `view_cache.rs`: the
//! players' views) ask of an object: did any of its components change since a change tick
//! (bevy's change detection), and which optional components it has (gaining or losing one is
//! a change no change tick shows).

use bevy_ecs::component::Tick;
use bevy_ecs::prelude::*;
use bevy_ecs::query::QueryData;

use crate::geometry::Position;
use crate::object::*;
use crate::state::RecordRef;

/// An object's components with their change ticks; queried together with the component that
/// keeps the encoding.
pub(crate) type Tracked = (
    &'static ObjectId,
    Ref<'static, Position>,
    Option<Ref<'static, Owner>>,
    Option<Ref<'static, Hits>>,
    Option<Ref<'static, Store>>,
    Option<Ref<'static, Decay>>,
    Option<Ref<'static, Cooldown>>,
    Ref<'static, ObjectKind>,
);

pub(crate) type TrackedItem<'w> = <Tracked as QueryData>::Item<'w>;

/// A bit per optional component the object has.
pub(crate) fn presence(item: &TrackedItem<'_>) -> u8 {
    let (_, _, owner, hits, store, decay, cooldown, _) = item;
    [
        owner.is_some(),
        hits.is_some(),
        store.is_some(),
        decay.is_some(),
        cooldown.is_some(),
    ]
    .iter()
    .enumerate()
    .fold(0, |mask, (i, on)| mask | (u8::from(*on) << i))
}

/// Whether a component of the object changed after `since` (everything counts as changed
/// when there is no `since`); `now` is the world's change tick.
pub(crate) fn changed_since(item: &TrackedItem<'_>, since: Option<Tick>, now: Tick) -> bool {
    let Some(since) = since else {
        return true;
    };
    let changed = |t: Tick| t.is_newer_than(since, now);
    let (_, pos, owner, hits, store, decay, cooldown, kind) = item;
    changed(pos.last_changed())
        || changed(kind.last_changed())
        || owner.as_ref().is_some_and(|r| changed(r.last_changed()))
        || hits.as_ref().is_some_and(|r| changed(r.last_changed()))
        || store.as_ref().is_some_and(|r| changed(r.last_changed()))
        || decay.as_ref().is_some_and(|r| changed(r.last_changed()))
        || cooldown.as_ref().is_some_and(|r| changed(r.last_changed()))
}

/// The object's record, borrowed.
pub(crate) fn record<'a>(item: &'a TrackedItem<'_>) -> RecordRef<'a> {
    let (id, pos, owner, hits, store, decay, cooldown, kind) = item;
    RecordRef {
        id,
        pos,
        owner: owner.as_ref().map(|o| o.0),
        hits: hits.as_deref(),
        store: store.as_deref(),
        decay: decay.as_deref(),
        cooldown: cooldown.as_deref(),
        kind,
    }
}
