//! The player API and the shard end to end: real bots in real isolates on a real world, with
//! sled underneath.

mod attack_notices;
mod colony;
mod console_commands;
mod contract;
mod cpu_api;
mod disk;
mod event_log;
mod flags;
mod hostile_players;
mod map_api;
mod market;
mod memory_segments;
mod minerals;
mod npc;
mod path_api;
mod persistence;
mod replay;
mod screeps_api;
mod screeps_globals;
mod support;
mod territory;
mod typescript;
