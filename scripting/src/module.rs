//! `Module`: an ES module compiled in one isolate, linked by a host resolver.
//!
//! Linking happens in two halves. On the host, [`Module::instantiate`] walks the graph and asks
//! the resolver for every specifier, so the resolver may block, do I/O or be async without ever
//! running on an isolate's home thread. On the home thread, V8's resolve callback (a plain
//! function with no closure state) then only looks the answers up in a per-thread link table.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::future::Future;
use std::time::{Duration, Instant};

use crate::call::{
    compile_failure, finish, new_string, run_in_context, source_origin, HomeCall, HomeWork,
    RunOptions,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate::Isolate;
use crate::isolate_state::{interrupted, Interrupted, IsolateState};
use crate::outcome::Run;
use crate::script::{cache_rejected, cached_source, compile_in_throwaway_context};
use crate::transfer::Reference;

/// How a module is compiled.
#[derive(Debug, Clone, Default)]
pub struct ModuleOptions {
    /// Name shown in stack traces and passed to the resolver as the referrer.
    pub filename: Option<String>,
    /// Produce V8 code cache after compiling (see [`Module::cached_data`]).
    pub produce_cached_data: bool,
    /// Code cache from an earlier compile of the same source by the same V8 build and flags.
    /// Never pass bytes that came from players: V8 checks the header but, in release builds,
    /// not the payload, so crafted bytes run as bytecode.
    pub cached_data: Option<Vec<u8>>,
    /// Extra `import.meta` properties: the own properties of this copy are copied onto the
    /// module's `import.meta` the first time code reads it. `import.meta.url` is always the
    /// filename.
    pub import_meta: Option<ExternalCopy>,
}

/// A compiled ES module. Lives until [`Module::release`] or disposal.
#[derive(Debug, Clone)]
pub struct Module {
    isolate: Isolate,
    id: u32,
    filename: String,
    specifiers: Vec<String>,
    cached_data: Option<Vec<u8>>,
    cached_data_rejected: Option<bool>,
}

/// One resolved import, as a table of module ids (host side).
struct Link {
    referrer: u32,
    specifier: String,
    target: u32,
}

/// Per-isolate `import.meta` sources, keyed by module identity hash (hashes can collide, so
/// each entry keeps its module to compare). An isolate slot because V8's hook has no closure.
#[derive(Default)]
struct ImportMetaSlot(HashMap<i32, Vec<ImportMeta>>);

struct ImportMeta {
    id: u32,
    module: v8::Global<v8::Module>,
    url: String,
    extra: Option<ExternalCopy>,
}

/// Gives a new isolate what `import.meta` needs: the slot and V8's hook.
pub(crate) fn install(state: &mut IsolateState) {
    let isolate = state.isolate();
    isolate.set_slot(ImportMetaSlot::default());
    isolate.set_host_initialize_import_meta_object_callback(initialize_import_meta);
    state.on_dispose(|isolate| {
        let _ = isolate.remove_slot::<ImportMetaSlot>();
    });
}

/// V8's `HostInitializeImportMetaObjectCallback`: runs inside the evaluating call, so under
/// its limits; deserializing a copy runs no user code.
extern "C" fn initialize_import_meta(
    context: v8::Local<v8::Context>,
    module: v8::Local<v8::Module>,
    meta: v8::Local<v8::Object>,
) {
    // SAFETY: V8 calls this synchronously while running the module, with `context` entered.
    let scope = &mut unsafe { v8::CallbackScope::new(context) };
    let scope = &mut v8::HandleScope::new(scope);
    let hash = module.get_identity_hash().get();
    let candidates: Vec<(v8::Global<v8::Module>, String, Option<ExternalCopy>)> = scope
        .get_slot::<ImportMetaSlot>()
        .and_then(|slot| slot.0.get(&hash))
        .map(|entries| {
            entries
                .iter()
                .map(|e| (e.module.clone(), e.url.clone(), e.extra.clone()))
                .collect()
        })
        .unwrap_or_default();
    let Some((_, url, extra)) = candidates
        .into_iter()
        .find(|(m, _, _)| v8::Local::new(scope, m) == module)
    else {
        return;
    };
    if let Some(extra) = extra {
        if let Some(value) = extra.deserialize_in(scope) {
            if let Ok(object) = v8::Local::<v8::Object>::try_from(value) {
                let args = v8::GetPropertyNamesArgsBuilder::new()
                    .key_conversion(v8::KeyConversionMode::ConvertToString)
                    .build();
                if let Some(keys) = object.get_own_property_names(scope, args) {
                    for i in 0..keys.length() {
                        let Some(key) = keys.get_index(scope, i) else {
                            continue;
                        };
                        let Ok(name) = v8::Local::<v8::Name>::try_from(key) else {
                            continue;
                        };
                        if let Some(v) = object.get(scope, key) {
                            meta.create_data_property(scope, name, v);
                        }
                    }
                }
            }
        }
    }
    if let (Some(key), Some(url)) = (v8::String::new(scope, "url"), v8::String::new(scope, &url)) {
        meta.create_data_property(scope, key.into(), url.into());
    }
}

thread_local! {
    /// The link table of the instantiation running on this home thread, keyed by the
    /// referrer's identity hash and the specifier (hashes can collide, so each entry keeps
    /// the referrer to compare). Only looked up, never iterated.
    static LINKS: RefCell<LinkTable> = RefCell::new(LinkTable::new());
}

type LinkTable = HashMap<(i32, String), Vec<(v8::Global<v8::Module>, v8::Global<v8::Module>)>>;

thread_local! {}

impl Isolate {
    /// Compiles `code` as an ES module.
    ///
    /// # Errors
    /// [`Error::Syntax`] for a parse error; limits and disposal as for scripts.
    pub fn compile_module(&self, code: &str, options: ModuleOptions) -> Result<Module> {
        let this = self.clone();
        let code = code.to_string();
        self.exec(move |state| Module::compile_on_home(this, state, &code, options))
    }
}

impl Module {
    fn compile_on_home(
        isolate: Isolate,
        state: &mut IsolateState,
        code: &str,
        options: ModuleOptions,
    ) -> Result<Module> {
        let filename = options
            .filename
            .clone()
            .unwrap_or_else(|| "<module>".to_string());
        let name = filename.clone();
        let run = compile_in_throwaway_context(state, |tc, tables| {
            let source = new_string(tc, code)?;
            let origin = source_origin(tc, &name, true);
            let consume = options.cached_data.is_some();
            let (mut source, compile_options) =
                cached_source(source, &origin, options.cached_data.as_deref());
            let module = v8::script_compiler::compile_module2(
                tc,
                &mut source,
                compile_options,
                v8::script_compiler::NoCacheReason::NoReason,
            )
            .ok_or_else(|| compile_failure(tc))?;
            let rejected = cache_rejected(&source, consume);
            let produced = if options.produce_cached_data {
                module
                    .get_unbound_module_script(tc)
                    .create_code_cache()
                    .map(|c| c.to_vec())
            } else {
                None
            };
            let requests = module.get_module_requests();
            let mut specifiers = Vec::with_capacity(requests.length());
            for i in 0..requests.length() {
                let Some(data) = requests.get(tc, i) else {
                    continue;
                };
                let Ok(request) = v8::Local::<v8::ModuleRequest>::try_from(data) else {
                    continue;
                };
                specifiers.push(request.get_specifier().to_rust_string_lossy(tc));
            }
            let id = tables.next_id();
            let global = v8::Global::new(tc, module);
            tables.modules.insert(id, global.clone());
            if let Some(slot) = tc.get_slot_mut::<ImportMetaSlot>() {
                slot.0
                    .entry(module.get_identity_hash().get())
                    .or_default()
                    .push(ImportMeta {
                        id,
                        module: global,
                        url: name.clone(),
                        extra: options.import_meta.clone(),
                    });
            }
            Ok((id, specifiers, produced, rejected))
        })?;
        let (id, specifiers, cached_data, cached_data_rejected) = run.outcome.into_result()?;
        Ok(Module {
            isolate,
            id,
            filename,
            specifiers,
            cached_data,
            cached_data_rejected,
        })
    }

    /// The filename given at compile time (`<module>` when none was).
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The specifiers this module imports statically, in source order, without duplicates
    /// removed (as V8 reports them).
    pub fn dependency_specifiers(&self) -> &[String] {
        &self.specifiers
    }

    /// Code cache produced at compile time (with `produce_cached_data`).
    pub fn cached_data(&self) -> Option<&[u8]> {
        self.cached_data.as_deref()
    }

    /// Whether V8 rejected the supplied code cache (`None` when none was supplied).
    pub fn cached_data_rejected(&self) -> Option<bool> {
        self.cached_data_rejected
    }

    /// Links this module and everything it imports in `context`. `resolver(specifier,
    /// referrer)` is called once per distinct (referrer, specifier) pair, on the calling
    /// thread, and must return a module compiled in the same isolate. Linking on the home
    /// thread runs under `options`' CPU and wall limits (a huge graph costs real time).
    ///
    /// # Errors
    /// [`Error::ModuleResolution`] when the resolver refuses; [`Error::InvalidArgument`] for a
    /// module from another isolate; the SyntaxError V8 raises for a missing export as
    /// [`Error::Exception`]/[`Error::Syntax`].
    pub fn instantiate(
        &self,
        context: &Context,
        options: &RunOptions,
        mut resolver: impl FnMut(&str, &Module) -> std::result::Result<Module, String>,
    ) -> Result<()> {
        let deadline = Instant::now() + options.limits(self.isolate.inner.defaults).wall;
        let links = self.walk(
            |specifier, referrer| std::future::ready(resolver(specifier, referrer)),
            WalkDeadline::checked(deadline),
        );
        let links = futures::executor::block_on(links)?;
        let (ctx, root, options) = (context.id(), self.id, options.clone());
        self.check_context(context)?;
        self.isolate
            .exec(move |state| instantiate_on_home(state, ctx, root, &links, &options))
    }

    /// Async [`Module::instantiate`]: the resolver returns a future (it may load files or
    /// fetch code). Resolving the whole graph is bounded by `options`' wall limit: a resolver
    /// that never answers ends the call with [`Error::WallLimit`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn instantiate_async<F>(
        &self,
        context: &Context,
        options: &RunOptions,
        resolver: impl FnMut(&str, &Module) -> F,
    ) -> Result<()>
    where
        F: Future<Output = std::result::Result<Module, String>>,
    {
        self.check_context(context)?;
        let wall = options.limits(self.isolate.inner.defaults).wall;
        let links = self.walk(resolver, WalkDeadline::timer(wall)).await?;
        let (ctx, root, options) = (context.id(), self.id, options.clone());
        self.isolate
            .exec_async(move |state| instantiate_on_home(state, ctx, root, &links, &options))
            .await
    }

    fn check_context(&self, context: &Context) -> Result<()> {
        if context.isolate().same_isolate(&self.isolate) {
            Ok(())
        } else {
            Err(Error::InvalidArgument(
                "context belongs to another isolate".into(),
            ))
        }
    }

    /// Breadth-first over the graph, resolving each (referrer, specifier) once, until
    /// `deadline`.
    async fn walk<F>(
        &self,
        mut resolver: impl FnMut(&str, &Module) -> F,
        mut deadline: WalkDeadline,
    ) -> Result<Vec<Link>>
    where
        F: Future<Output = std::result::Result<Module, String>>,
    {
        let mut links = Vec::new();
        let mut seen = BTreeSet::from([self.id]);
        let mut queue = VecDeque::from([self.clone()]);
        while let Some(module) = queue.pop_front() {
            let mut done = BTreeSet::new();
            for specifier in &module.specifiers {
                if !done.insert(specifier.as_str()) {
                    continue;
                }
                let target = deadline.bound(resolver(specifier, &module)).await?;
                let target = target.map_err(|reason| Error::ModuleResolution {
                    specifier: specifier.clone(),
                    referrer: module.filename.clone(),
                    reason,
                })?;
                if !target.isolate.same_isolate(&self.isolate) {
                    return Err(Error::InvalidArgument(format!(
                        "resolver returned a module from another isolate for {specifier:?}"
                    )));
                }
                links.push(Link {
                    referrer: module.id,
                    specifier: specifier.clone(),
                    target: target.id,
                });
                if seen.insert(target.id) {
                    queue.push_back(target);
                }
            }
        }
        Ok(links)
    }

    /// Runs the module graph's top-level code under the call's limits. Top-level `await` is
    /// settled inside the same call (so it is covered by the same CPU and wall limits); a
    /// graph still pending after its microtasks ran ends as an exception.
    ///
    /// # Errors
    /// Host errors, and [`Error::ModuleState`] when the module is not instantiated or was
    /// already evaluated (including a failed evaluation: V8 keeps the error, not a retry).
    pub fn evaluate(&self, context: &Context, options: &RunOptions) -> Result<Run<ExternalCopy>> {
        self.evaluate_call(context, options)?.wait_run()
    }

    /// Async [`Module::evaluate`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn evaluate_async(
        &self,
        context: &Context,
        options: &RunOptions,
    ) -> Result<Run<ExternalCopy>> {
        self.evaluate_call(context, options)?.wait_run_async().await
    }

    fn evaluate_call(
        &self,
        context: &Context,
        options: &RunOptions,
    ) -> Result<HomeCall<'_, impl HomeWork<Run<ExternalCopy>>>> {
        self.check_context(context)?;
        let (id, ctx, options) = (self.id, context.id(), options.clone());
        Ok(HomeCall::new(&self.isolate, move |state| {
            evaluate_on_home(state, id, ctx, &options)
        }))
    }

    /// The module's namespace object as a [`Reference`] (after instantiation).
    ///
    /// # Errors
    /// [`Error::ModuleState`] before instantiation; released handles.
    pub fn namespace(&self, context: &Context) -> Result<Reference> {
        self.check_context(context)?;
        let (id, ctx, isolate) = (self.id, context.id(), self.isolate.clone());
        self.isolate.exec(move |state| {
            let limits = state.defaults;
            let run = run_in_context(state, ctx, limits, |tc, tables| {
                let module = module_local(tc, tables, id)?;
                if module.get_status() == v8::ModuleStatus::Uninstantiated {
                    return Err(Interrupted::Host(Error::ModuleState(
                        "is not instantiated".into(),
                    )));
                }
                let namespace = module.get_module_namespace();
                Ok(Reference::register(tc, tables, namespace, ctx))
            })?;
            let (rid, type_of) = run.outcome.into_result()?;
            Ok(Reference::new(isolate, rid, ctx, type_of))
        })
    }

    /// Releases the compiled module.
    pub fn release(&self) {
        let id = self.id;
        self.isolate.exec_ignored(move |state| {
            state.tables.modules.remove(&id);
            if let Some(slot) = state.isolate().get_slot_mut::<ImportMetaSlot>() {
                for entries in slot.0.values_mut() {
                    entries.retain(|e| e.id != id);
                }
                slot.0.retain(|_, entries| !entries.is_empty());
            }
            Ok(())
        });
    }
}

fn module_local<'s>(
    scope: &mut v8::HandleScope<'s>,
    tables: &crate::isolate_state::Tables,
    id: u32,
) -> Result<v8::Local<'s, v8::Module>, Interrupted> {
    let global = tables
        .modules
        .get(&id)
        .ok_or(Interrupted::Host(Error::InvalidHandle("module released")))?;
    Ok(v8::Local::new(scope, global))
}

fn instantiate_on_home(
    state: &mut IsolateState,
    ctx: u32,
    root: u32,
    links: &[Link],
    options: &RunOptions,
) -> Result<()> {
    let limits = options.limits(state.defaults);
    let run = run_in_context(state, ctx, limits, |tc, tables| {
        let root = module_local(tc, tables, root)?;
        let mut table = LinkTable::with_capacity(links.len());
        for link in links {
            let referrer = module_local(tc, tables, link.referrer)?;
            let target = module_local(tc, tables, link.target)?;
            table
                .entry((referrer.get_identity_hash().get(), link.specifier.clone()))
                .or_default()
                .push((v8::Global::new(tc, referrer), v8::Global::new(tc, target)));
        }
        LINKS.with(|l| *l.borrow_mut() = table);
        let linked = root.instantiate_module(tc, resolve_from_links);
        LINKS.with(|l| l.borrow_mut().clear());
        match linked {
            Some(true) => Ok(()),
            _ => Err(interrupted(tc)),
        }
    })?;
    run.outcome.into_result()
}

fn resolve_from_links<'a>(
    context: v8::Local<'a, v8::Context>,
    specifier: v8::Local<'a, v8::String>,
    _attributes: v8::Local<'a, v8::FixedArray>,
    referrer: v8::Local<'a, v8::Module>,
) -> Option<v8::Local<'a, v8::Module>> {
    // SAFETY: V8 calls this synchronously inside InstantiateModule, with `context` entered.
    let scope = &mut unsafe { v8::CallbackScope::new(context) };
    let wanted = specifier.to_rust_string_lossy(scope);
    let found = LINKS.with(|l| {
        let table = l.borrow();
        let candidates = table.get(&(referrer.get_identity_hash().get(), wanted.clone()))?;
        candidates
            .iter()
            .find(|(from, _)| v8::Local::new(scope, from) == referrer)
            .map(|(_, target)| v8::Local::new(scope, target))
    });
    if found.is_none() {
        // Only reachable for imports the host walk did not see (it sees every static one).
        let message = v8::String::new(scope, &format!("cannot resolve {wanted:?}"))?;
        let error = v8::Exception::error(scope, message);
        scope.throw_exception(error);
    }
    found
}

fn evaluate_on_home(
    state: &mut IsolateState,
    id: u32,
    ctx: u32,
    options: &RunOptions,
) -> Result<Run<ExternalCopy>> {
    if !state.tables.modules.contains_key(&id) {
        return Err(Error::InvalidHandle("module released"));
    }
    let limits = options.limits(state.defaults);
    let options = RunOptions {
        await_promise: true,
        ..options.clone()
    };
    run_in_context(state, ctx, limits, |tc, tables| {
        let module = module_local(tc, tables, id)?;
        match module.get_status() {
            v8::ModuleStatus::Instantiated => {}
            v8::ModuleStatus::Uninstantiated | v8::ModuleStatus::Instantiating => {
                return Err(Interrupted::Host(Error::ModuleState(
                    "is not instantiated".into(),
                )))
            }
            _ => {
                return Err(Interrupted::Host(Error::ModuleState(
                    "was already evaluated".into(),
                )))
            }
        }
        let value = module.evaluate(tc).ok_or_else(|| interrupted(tc))?;
        finish(tc, value, &options)
    })
}

/// The wall limit of a graph walk. A blocking resolver can only be checked between calls; an
/// async one is raced against a timer thread that stops as soon as the walk does.
enum WalkDeadline {
    Checked(Instant),
    Timer {
        fired: tokio::sync::oneshot::Receiver<()>,
        _stop: crossbeam_channel::Sender<()>,
    },
}

impl WalkDeadline {
    fn checked(at: Instant) -> Self {
        WalkDeadline::Checked(at)
    }

    fn timer(wall: Duration) -> Self {
        let (fire, fired) = tokio::sync::oneshot::channel();
        let (stop, stopped) = crossbeam_channel::bounded::<()>(0);
        let _ = std::thread::Builder::new()
            .name("isoshard-module-deadline".into())
            .spawn(move || {
                // Returns early when the walk drops `_stop`.
                if let Err(crossbeam_channel::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(wall)
                {
                    let _ = fire.send(());
                }
            });
        WalkDeadline::Timer { fired, _stop: stop }
    }

    async fn bound<T>(&mut self, work: impl Future<Output = T>) -> Result<T> {
        match self {
            WalkDeadline::Checked(at) => {
                if Instant::now() >= *at {
                    return Err(Error::WallLimit);
                }
                Ok(work.await)
            }
            WalkDeadline::Timer { fired, .. } => {
                let work = std::pin::pin!(work);
                match futures::future::select(work, fired).await {
                    futures::future::Either::Left((value, _)) => Ok(value),
                    futures::future::Either::Right(_) => Err(Error::WallLimit),
                }
            }
        }
    }
}
