// Runs once in every new context before any other code. Charges WebAssembly.Memory pages to
// the isolate's memory budget (the same one ArrayBuffers use): V8 allocates wasm memory
// outside the ArrayBuffer allocator, so without this N memories of the per-memory page cap
// would add up past any limit. `reserve` and `release` are host functions that exist only in
// this closure. Every builtin used after setup is captured here, before untrusted code runs.
(function (reserve, release) {
  'use strict';
  const WA = globalThis.WebAssembly;
  if (typeof WA !== 'object' || WA === null) return;
  const construct = Reflect.construct;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const toNumber = Number;
  const TypeErr = TypeError;
  const RangeErr = RangeError;
  const Orig = WA.Memory;
  const proto = Orig.prototype;
  const origGrow = proto.grow;
  const cells = new WeakMap();
  const wmGet = WeakMap.prototype.get;
  const wmSet = WeakMap.prototype.set;
  const registry = new FinalizationRegistry((cell) => release(cell.pages));
  const register = FinalizationRegistry.prototype.register;
  function pages(v, what) {
    const n = toNumber(v);
    if (!(n >= 0 && n <= 65536) || n !== (n | 0)) throw new RangeErr(`WebAssembly.Memory(): invalid ${what}`);
    return n;
  }
  function Memory(descriptor) {
    if (new.target === undefined) throw new TypeErr("WebAssembly.Memory must be invoked with 'new'");
    if (descriptor === null || typeof descriptor !== 'object') throw new TypeErr('WebAssembly.Memory(): Argument 0 must be a memory descriptor');
    // Each property is read once; the copy is what V8 sees.
    const initialRaw = descriptor.initial;
    const maximumRaw = descriptor.maximum;
    const shared = !!descriptor.shared;
    const clean = { initial: pages(initialRaw, 'initial') };
    if (maximumRaw !== undefined) clean.maximum = pages(maximumRaw, 'maximum');
    if (shared) clean.shared = true;
    reserve(clean.initial);
    let memory;
    try {
      memory = construct(Orig, [clean], new.target);
    } catch (e) {
      release(clean.initial);
      throw e;
    }
    const cell = { pages: clean.initial };
    apply(wmSet, cells, [memory, cell]);
    apply(register, registry, [memory, cell]);
    return memory;
  }
  function grow(delta) {
    const cell = apply(wmGet, cells, [this]);
    const d = pages(delta, 'delta');
    if (cell !== undefined && d > 0) reserve(d);
    let result;
    try {
      result = apply(origGrow, this, [d]);
    } catch (e) {
      if (cell !== undefined && d > 0) release(d);
      throw e;
    }
    if (cell !== undefined) cell.pages += d;
    return result;
  }
  defineProperty(Memory, 'prototype', { value: proto });
  defineProperty(proto, 'constructor', { value: Memory, writable: true, configurable: true });
  defineProperty(proto, 'grow', { value: grow, writable: true, configurable: true });
  defineProperty(WA, 'Memory', { value: Memory, writable: true, configurable: true, enumerable: false });
})
