//! DevTools inspector sessions (the Chrome DevTools Protocol, CDP) and CPU profiles.
//!
//! An isolate's inspector is created on first use, on its home thread. Host code talks to it
//! through [`InspectorSession`]s: messages go into the isolate's inbox and are dispatched on
//! the home thread, responses and notifications come back through the session.
//!
//! Limits still hold while debugging:
//! - a message dispatched while the isolate is idle runs inside a limited call (at most
//!   100 ms of CPU), because `Runtime.evaluate`, getters in `Runtime.getProperties` and
//!   friends run player code; untrusted sessions share a budget of 100 ms of such CPU per
//!   second (commands over it are refused, not queued);
//! - a breakpoint pauses inside the call that hit it; while paused the home thread serves
//!   only inspector messages, and the call's wall limit keeps running: when it passes, the
//!   pause ends and the call is terminated (`wall_limit`). A paused isolate therefore stalls
//!   the other isolates of its home thread for at most that wall limit; give debugged isolates
//!   a dedicated thread ([`crate::IsolateOptions::dedicated_thread`]) so it stalls nobody.
//!
//! Untrusted sessions (players) are V8's `Untrusted` trust level (no `HeapProfiler`, no
//! `Schema`), and additionally cannot use the command-line API (`queryObjects`,
//! `includeCommandLineAPI`), which can enumerate objects across contexts.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::ptr::addr_of;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, TryRecvError};
use serde_json::{json, Value};
use v8::inspector::{
    ChannelBase, ChannelImpl, StringBuffer, StringView, V8Inspector, V8InspectorClientBase,
    V8InspectorClientImpl, V8InspectorClientTrustLevel, V8InspectorSession,
};

use crate::inspector_channel::{Inbound, InspectorTrust, Outgoing};
use crate::isolate_state::{IsolateShared, IsolateState, Limits};

/// The one context group: every inspectable context of an isolate is in it.
const CONTEXT_GROUP: i32 = 1;
/// How often a paused isolate checks its call's limits between inspector messages.
const PAUSE_POLL: Duration = Duration::from_millis(20);
/// CPU one batch of inspector commands may use while the isolate is idle.
const IDLE_COMMAND_CPU: Duration = Duration::from_millis(100);
/// Idle-time CPU a player's inspector sessions earn per second, and may save up: between
/// ticks a client could otherwise keep a core busy with `Runtime.evaluate` loops.
const IDLE_CPU_PER_SECOND: Duration = Duration::from_millis(100);
const IDLE_CPU_SAVED_MAX: Duration = Duration::from_millis(200);
/// Below this much budget, commands are refused rather than run and cut at once.
const IDLE_COMMAND_MIN_CPU: Duration = Duration::from_millis(5);

fn string_of(view: StringView) -> String {
    match view {
        StringView::U8(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        StringView::U16(units) => String::from_utf16_lossy(&units),
    }
}

/// The V8 channel of one session: forwards everything to its [`Outgoing`].
struct SessionChannel {
    base: ChannelBase,
    outgoing: Arc<Outgoing>,
    /// The last call id V8 answered (to answer a call cut short by a limit ourselves).
    last_response: Cell<Option<i32>>,
}

impl SessionChannel {
    fn send(&self, message: v8::UniquePtr<StringBuffer>) {
        let text = match message.as_ref() {
            Some(buffer) => string_of(buffer.string()),
            None => return,
        };
        self.outgoing.push(text);
    }
}

impl ChannelImpl for SessionChannel {
    fn base(&self) -> &ChannelBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut ChannelBase {
        &mut self.base
    }
    unsafe fn base_ptr(this: *const Self) -> *const ChannelBase
    where
        Self: Sized,
    {
        // SAFETY: `this` points at a live SessionChannel (V8 only calls through live ones).
        unsafe { addr_of!((*this).base) }
    }
    fn send_response(&mut self, call_id: i32, message: v8::UniquePtr<StringBuffer>) {
        self.last_response.set(Some(call_id));
        self.send(message);
    }
    fn send_notification(&mut self, message: v8::UniquePtr<StringBuffer>) {
        self.send(message);
    }
    fn flush_protocol_notifications(&mut self) {}
}

struct SessionSlot {
    // Field order is drop order: the V8 session refers to its channel.
    session: v8::UniqueRef<V8InspectorSession>,
    channel: Box<SessionChannel>,
    trust: InspectorTrust,
    closed: bool,
}

/// Home-thread state reachable from V8's client callbacks (which may re-enter while a
/// message is being dispatched, so everything here is `Cell`/`RefCell`, borrowed briefly).
struct HubShared {
    inbox: Receiver<Inbound>,
    sessions: RefCell<BTreeMap<u64, SessionSlot>>,
    inspector: RefCell<Option<v8::UniqueRef<V8Inspector>>>,
    paused: Cell<bool>,
    quit_pause: Cell<bool>,
    /// Nested `dispatch_protocol_message` calls in progress; closed sessions are dropped only
    /// at depth 0 (V8 may still be inside one).
    depth: Cell<u32>,
    isolate: Arc<IsolateShared>,
    /// The C++ isolate (stable for the isolate's life, which outlives the hub).
    isolate_ptr: *mut v8::Isolate,
    /// Inspectable contexts by id; the oldest is the default (`Runtime.evaluate` without a
    /// context id runs there).
    contexts: RefCell<BTreeMap<u32, v8::Global<v8::Context>>>,
    /// Idle-time CPU left for untrusted sessions, as of `budget_at`.
    budget: Cell<Duration>,
    budget_at: Cell<Instant>,
}

struct HubClient {
    base: V8InspectorClientBase,
    hub: Rc<HubShared>,
}

impl V8InspectorClientImpl for HubClient {
    fn base(&self) -> &V8InspectorClientBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut V8InspectorClientBase {
        &mut self.base
    }
    unsafe fn base_ptr(this: *const Self) -> *const V8InspectorClientBase
    where
        Self: Sized,
    {
        // SAFETY: `this` points at the live client owned by the hub.
        unsafe { addr_of!((*this).base) }
    }
    fn run_message_loop_on_pause(&mut self, _context_group_id: i32) {
        let hub = self.hub.clone();
        hub.pause_loop();
    }
    fn quit_message_loop_on_pause(&mut self) {
        self.hub.quit_pause.set(true);
    }
    fn ensure_default_context_in_group(
        &mut self,
        _context_group_id: i32,
    ) -> Option<v8::Local<'_, v8::Context>> {
        let context = self.hub.contexts.borrow().values().next().cloned()?;
        // SAFETY: V8 calls this on the home thread with the isolate entered and a handle scope
        // open; the pointer is the live isolate that owns this hub.
        let isolate = unsafe { &mut *self.hub.isolate_ptr };
        let scope = &mut unsafe { v8::CallbackScope::new(isolate) };
        Some(v8::Local::new(scope, context))
    }
}

/// The isolate slot of the inspector: the inbox host handles write to (from creation on) and
/// the inspector itself (on first use). Removed by [`teardown`] before the isolate goes.
pub(crate) struct InspectorSlot {
    inbox: Receiver<Inbound>,
    hub: Option<InspectorHub>,
}

/// Gives a new isolate its inspector slot; the inspector itself comes on first use.
pub(crate) fn install(state: &mut IsolateState, inbox: Receiver<Inbound>) {
    state.isolate().set_slot(InspectorSlot { inbox, hub: None });
    state.on_dispose(teardown);
}

/// Creates the inspector now, before any context exists: V8 shows a debugger only the
/// scripts compiled after their context was announced to it.
pub(crate) fn create(state: &mut IsolateState) {
    state.inspector_hub();
}

/// Sessions and the inspector go first, with the isolate whole.
fn teardown(isolate: &mut v8::OwnedIsolate) {
    let _ = isolate.remove_slot::<InspectorSlot>();
}

/// An isolate's inspector, kept in its [`InspectorSlot`].
struct InspectorHub {
    hub: Rc<HubShared>,
    _client: Box<HubClient>,
}

impl Drop for InspectorHub {
    fn drop(&mut self) {
        // Sessions before the inspector, the inspector before its client.
        let sessions = std::mem::take(&mut *self.hub.sessions.borrow_mut());
        for (_, slot) in sessions {
            slot.channel.outgoing.close();
            drop(slot);
        }
        self.hub.inspector.borrow_mut().take();
    }
}

impl HubShared {
    fn pause_loop(&self) {
        self.paused.set(true);
        self.quit_pause.set(false);
        let deadline_hit = || {
            self.isolate.limit_fired.load(Ordering::Acquire)
                || self.isolate.disposed.load(Ordering::Acquire)
                || self.isolate.memory_limit_hit.load(Ordering::Acquire)
        };
        while !self.quit_pause.get() && !deadline_hit() {
            if self.sessions.borrow().values().all(|s| s.closed) {
                // Nobody is left to resume: carry on.
                break;
            }
            match self.inbox.recv_timeout(PAUSE_POLL) {
                Ok(message) => self.handle(message),
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            }
        }
        self.paused.set(false);
    }

    /// Handles everything queued; returns whether a call was cut short by a limit.
    fn drain(&self) {
        loop {
            match self.inbox.try_recv() {
                Ok(message) => self.handle(message),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
            if self.isolate.limit_fired.load(Ordering::Acquire) {
                break;
            }
        }
    }

    fn handle(&self, message: Inbound) {
        match message {
            Inbound::Connect {
                session,
                trust,
                outgoing,
            } => self.connect(session, trust, outgoing),
            Inbound::Message { session, text } => self.dispatch(session, &text),
            Inbound::Disconnect { session } => {
                if let Some(slot) = self.sessions.borrow_mut().get_mut(&session) {
                    slot.closed = true;
                    slot.channel.outgoing.close();
                }
                self.reap();
            }
        }
    }

    fn connect(&self, id: u64, trust: InspectorTrust, outgoing: Arc<Outgoing>) {
        let mut inspector = self.inspector.borrow_mut();
        let Some(inspector) = inspector.as_mut() else {
            outgoing.close();
            return;
        };
        let mut channel = Box::new(SessionChannel {
            base: ChannelBase::new::<SessionChannel>(),
            outgoing,
            last_response: Cell::new(None),
        });
        let level = match trust {
            InspectorTrust::Untrusted => V8InspectorClientTrustLevel::Untrusted,
            InspectorTrust::Trusted => V8InspectorClientTrustLevel::FullyTrusted,
        };
        let session = inspector.connect(
            CONTEXT_GROUP,
            channel.as_mut(),
            StringView::from(&b"{}"[..]),
            level,
        );
        self.sessions.borrow_mut().insert(
            id,
            SessionSlot {
                session,
                channel,
                trust,
                closed: false,
            },
        );
    }

    fn dispatch(&self, id: u64, text: &str) {
        let (session, channel, trust) = {
            let mut sessions = self.sessions.borrow_mut();
            let Some(slot) = sessions.get_mut(&id).filter(|s| !s.closed) else {
                return;
            };
            let session: *mut V8InspectorSession = &mut *slot.session;
            let channel: *const SessionChannel = &*slot.channel;
            (session, channel, slot.trust)
        };
        // SAFETY: slots are removed only at depth 0 (`reap`), and this dispatch holds depth
        // above 0 until it returns, so both pointers stay valid throughout.
        let channel = unsafe { &*channel };
        let request = serde_json::from_str::<Value>(text).ok();
        let call_id = request
            .as_ref()
            .and_then(|r| r.get("id"))
            .and_then(Value::as_i64)
            .and_then(|i| i32::try_from(i).ok());
        if trust == InspectorTrust::Untrusted {
            if let Some(reason) = request.as_ref().and_then(refused_for_untrusted) {
                channel.outgoing.push(error_response(call_id, reason));
                return;
            }
            if !self.paused.get() && self.idle_budget() < IDLE_COMMAND_MIN_CPU {
                channel.outgoing.push(error_response(
                    call_id,
                    "inspector CPU budget exhausted (100 ms per second while your code is not running); retry shortly",
                ));
                return;
            }
        }
        channel.last_response.set(None);
        self.depth.set(self.depth.get() + 1);
        // SAFETY: see above; V8 may re-enter `pause_loop`, which dispatches other messages
        // through the same raw-pointer discipline.
        unsafe { (*session).dispatch_protocol_message(StringView::from(text.as_bytes())) };
        self.depth.set(self.depth.get() - 1);
        if let Some(call) = call_id {
            if channel.last_response.get() != Some(call)
                && self.isolate.limit_fired.load(Ordering::Acquire)
            {
                channel.outgoing.push(error_response(
                    call_id,
                    "terminated: the command ran past the isolate's CPU or wall limit",
                ));
            }
        }
        self.reap();
    }

    /// Idle-time CPU available now (refilled for the time since the last look).
    fn idle_budget(&self) -> Duration {
        let now = Instant::now();
        let earned = IDLE_CPU_PER_SECOND.mul_f64((now - self.budget_at.get()).as_secs_f64());
        let budget = (self.budget.get() + earned).min(IDLE_CPU_SAVED_MAX);
        self.budget.set(budget);
        self.budget_at.set(now);
        budget
    }

    fn charge_idle(&self, used: Duration) {
        let left = self.idle_budget().saturating_sub(used);
        self.budget.set(left);
    }

    fn reap(&self) {
        if self.depth.get() > 0 || self.paused.get() {
            return;
        }
        let closed: Vec<SessionSlot> = {
            let mut sessions = self.sessions.borrow_mut();
            let ids: Vec<u64> = sessions
                .iter()
                .filter(|(_, s)| s.closed || s.channel.outgoing.is_closed())
                .map(|(id, _)| *id)
                .collect();
            ids.iter().filter_map(|id| sessions.remove(id)).collect()
        };
        drop(closed);
    }

    fn context_created(
        &self,
        context: v8::Local<v8::Context>,
        id: u32,
        global: v8::Global<v8::Context>,
    ) {
        self.contexts.borrow_mut().insert(id, global);
        let name = format!("context {id}");
        if let Some(inspector) = self.inspector.borrow_mut().as_mut() {
            let aux = br#"{"isDefault":true}"#;
            inspector.context_created(
                context,
                CONTEXT_GROUP,
                StringView::from(name.as_bytes()),
                StringView::from(&aux[..]),
            );
        }
    }

    fn context_destroyed(&self, context: v8::Local<v8::Context>, id: u32) {
        self.contexts.borrow_mut().remove(&id);
        if let Some(inspector) = self.inspector.borrow_mut().as_mut() {
            inspector.context_destroyed(context);
        }
    }
}

/// Methods an untrusted (player) session may not call, with the reason sent back.
fn refused_for_untrusted(request: &Value) -> Option<&'static str> {
    let method = request.get("method").and_then(Value::as_str).unwrap_or("");
    if method == "Runtime.queryObjects" || method == "Runtime.globalLexicalScopeNames" {
        return Some("not available to player sessions: it reaches beyond your own code");
    }
    let params = request.get("params");
    if params
        .and_then(|p| p.get("includeCommandLineAPI"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        return Some("includeCommandLineAPI is not available to player sessions");
    }
    None
}

fn error_response(id: Option<i32>, message: &str) -> String {
    json!({ "id": id, "error": { "code": -32000, "message": message } }).to_string()
}

impl IsolateState {
    /// The inspector's shared state, if the inspector exists.
    fn existing_hub(&mut self) -> Option<Rc<HubShared>> {
        let slot = self.isolate().get_slot::<InspectorSlot>()?;
        slot.hub.as_ref().map(|h| h.hub.clone())
    }

    /// Creates the isolate's inspector (once) and registers every context it already has.
    fn inspector_hub(&mut self) -> Rc<HubShared> {
        if let Some(hub) = self.existing_hub() {
            return hub;
        }
        let inbox = match self.isolate().get_slot::<InspectorSlot>() {
            Some(slot) => slot.inbox.clone(),
            // Only before `install`; an inbox nobody writes to keeps the hub well-formed.
            None => crossbeam_channel::never(),
        };
        let hub = Rc::new(HubShared {
            inbox,
            sessions: RefCell::new(BTreeMap::new()),
            inspector: RefCell::new(None),
            paused: Cell::new(false),
            quit_pause: Cell::new(false),
            depth: Cell::new(0),
            isolate: self.shared.clone(),
            isolate_ptr: &mut **self.isolate() as *mut v8::Isolate,
            contexts: RefCell::new(BTreeMap::new()),
            budget: Cell::new(IDLE_CPU_SAVED_MAX),
            budget_at: Cell::new(Instant::now()),
        });
        let mut client = Box::new(HubClient {
            base: V8InspectorClientBase::new::<HubClient>(),
            hub: hub.clone(),
        });
        let inspector = V8Inspector::create(self.isolate(), client.as_mut());
        *hub.inspector.borrow_mut() = Some(inspector);
        let contexts: Vec<(u32, v8::Global<v8::Context>)> = self
            .tables
            .contexts
            .iter()
            .filter(|(id, _)| !self.tables.trusted_contexts.contains(id))
            .map(|(id, c)| (*id, c.clone()))
            .collect();
        {
            let settle = &mut crate::v8_locker::settled_scope(self.isolate());
            let scope = &mut v8::HandleScope::new(settle);
            for (id, context) in contexts {
                let local = v8::Local::new(scope, &context);
                hub.context_created(local, id, context);
            }
        }
        if let Some(slot) = self.isolate().get_slot_mut::<InspectorSlot>() {
            slot.hub = Some(InspectorHub {
                hub: hub.clone(),
                _client: client,
            });
        }
        hub
    }

    /// Where to announce new inspectable contexts, when the inspector exists.
    pub(crate) fn inspector_contexts(&mut self) -> Option<InspectorContexts> {
        self.existing_hub().map(InspectorContexts)
    }

    /// Tells the inspector (if any) that a context is going away.
    pub(crate) fn inspector_context_destroyed(&mut self, id: u32) {
        let Some(hub) = self.existing_hub() else {
            return;
        };
        let Some(global) = self.tables.contexts.get(&id).cloned() else {
            return;
        };
        let settle = &mut crate::v8_locker::settled_scope(self.isolate());
        let scope = &mut v8::HandleScope::new(settle);
        let local = v8::Local::new(scope, global);
        hub.context_destroyed(local, id);
    }

    /// Handles queued inspector messages inside a limited call (they can run player code).
    pub(crate) fn serve_inspector(&mut self) {
        let queued = self
            .isolate()
            .get_slot::<InspectorSlot>()
            .is_some_and(|slot| !slot.inbox.is_empty());
        if !queued {
            return;
        }
        let hub = self.inspector_hub();
        let cpu = self
            .defaults
            .cpu
            .min(IDLE_COMMAND_CPU)
            .min(hub.idle_budget().max(Duration::from_millis(1)));
        let limits = Limits {
            cpu,
            wall: cpu * 2,
            measure_heap: true,
        };
        if let Ok(run) = self.limited(limits, |isolate, _| {
            hub.drain();
            isolate.perform_microtask_checkpoint();
            Ok(())
        }) {
            hub.charge_idle(run.cpu_time);
        }
        hub.reap();
    }
}

/// Announces contexts to an isolate's inspector.
pub(crate) struct InspectorContexts(Rc<HubShared>);

impl InspectorContexts {
    pub(crate) fn context_created(
        &self,
        context: v8::Local<v8::Context>,
        id: u32,
        global: v8::Global<v8::Context>,
    ) {
        self.0.context_created(context, id, global);
    }
}
