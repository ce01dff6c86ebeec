// The one part of V8's API the v8 crate does not bind: v8::Locker, which lets an isolate be
// used from more than one thread (the caller runs a call itself instead of handing it to the
// isolate's home thread), and Isolate::SetStackLimit for the thread that holds it.
// Compiled against the crate's own V8 headers; linked into the crate's prebuilt library.
#include <new>

#include "v8-isolate.h"
#include "v8-locker.h"

static_assert(sizeof(v8::Locker) == 2 * sizeof(void*), "v8::Locker layout");
static_assert(sizeof(v8::Unlocker) <= 2 * sizeof(void*), "v8::Unlocker layout");

extern "C" {

void isoshard_locker_init(void* storage, v8::Isolate* isolate) {
  new (storage) v8::Locker(isolate);
}

void isoshard_locker_drop(void* storage) {
  static_cast<v8::Locker*>(storage)->~Locker();
}

void isoshard_unlocker_init(void* storage, v8::Isolate* isolate) {
  new (storage) v8::Unlocker(isolate);
}

void isoshard_unlocker_drop(void* storage) {
  static_cast<v8::Unlocker*>(storage)->~Unlocker();
}

bool isoshard_locker_is_locked(v8::Isolate* isolate) {
  return v8::Locker::IsLocked(isolate);
}

void isoshard_set_stack_limit(v8::Isolate* isolate, uintptr_t limit) {
  isolate->SetStackLimit(limit);
}

}  // extern "C"
