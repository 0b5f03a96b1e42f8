// Every block the core releases is zeroed first: passwords, codes and tokens pass through many
// std::string, JSON and buffer copies, and this wipes each one when its memory goes back to the
// allocator, wherever the copy was made (nlohmann's values and lexer, libc++ containers, our own
// buffers) — no per-type allocator to forget.
//
// How: the replaceable global operator new and delete (C++17 [new.delete]) are defined here over
// malloc and free, and delete zeroes malloc_usable_size(p) bytes with sodium_memzero (which the
// optimiser may not remove) before free. new is replaced too so that allocation and release stay
// one pair for sanitizers. Memory a C library frees itself is not covered; libsodium wipes its own
// secrets. tests/native/common/wipe_test.cpp counts released blocks that still hold a secret.
#include <cstddef>
#include <cstdlib>
#include <new>

#include <malloc.h>

#include <sodium/utils.h>

namespace {

[[noreturn]] void out_of_memory() {
#if defined(__cpp_exceptions)
  throw std::bad_alloc();
#else
  std::abort();
#endif
}

void* allocate(std::size_t size, std::size_t alignment = 0) {
  if (size == 0) size = 1;
  void* p = nullptr;
  if (alignment <= alignof(std::max_align_t)) p = std::malloc(size);
  else if (posix_memalign(&p, alignment, size) != 0) p = nullptr;
  return p;
}

void release(void* p) noexcept {
  if (!p) return;
  sodium_memzero(p, malloc_usable_size(p));
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = allocate(size)) return p;
  out_of_memory();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t alignment) {
  if (void* p = allocate(size, static_cast<std::size_t>(alignment))) return p;
  out_of_memory();
}
void* operator new[](std::size_t size, std::align_val_t alignment) { return ::operator new(size, alignment); }
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate(size, static_cast<std::size_t>(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate(size, static_cast<std::size_t>(alignment));
}

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
