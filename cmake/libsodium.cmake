# libsodium 1.0.18 compiled from the verified Debian source that scripts/setup unpacks into
# third_party/libsodium. Its tarball has no configure script, so we define what configure would:
# CONFIGURED=1 and a generated sodium/version.h. Every .c file is compiled (one replaced, below); the
# linker keeps only what the core calls (X25519, HMAC-SHA256, SHA-256, ChaCha20-Poly1305, memzero,
# verify).
set(SODIUM_ROOT "${PROJECT_SOURCE_DIR}/third_party/libsodium/src/libsodium")
if(NOT EXISTS "${SODIUM_ROOT}/include/sodium.h")
  message(FATAL_ERROR "libsodium source not found in ${SODIUM_ROOT}: run scripts/setup")
endif()

set(VERSION 1.0.18)
set(SODIUM_LIBRARY_VERSION_MAJOR 10)
set(SODIUM_LIBRARY_VERSION_MINOR 3)
set(SODIUM_LIBRARY_MINIMAL_DEF "")
set(SODIUM_GENERATED "${CMAKE_BINARY_DIR}/sodium-generated")
configure_file("${SODIUM_ROOT}/include/sodium/version.h.in" "${SODIUM_GENERATED}/sodium/version.h" @ONLY)

file(GLOB_RECURSE SODIUM_SOURCES CONFIGURE_DEPENDS "${SODIUM_ROOT}/*.c")
# Our own copy of the X25519 dispatch file: fixed-base multiplication by the ladder, so the 30 KiB
# Edwards table is never linked (cmake/sodium/scalarmult_curve25519.c says why).
list(REMOVE_ITEM SODIUM_SOURCES "${SODIUM_ROOT}/crypto_scalarmult/curve25519/scalarmult_curve25519.c")
list(APPEND SODIUM_SOURCES "${PROJECT_SOURCE_DIR}/cmake/sodium/scalarmult_curve25519.c")
add_library(sodium STATIC ${SODIUM_SOURCES})
target_include_directories(sodium SYSTEM PUBLIC "${SODIUM_GENERATED}" "${SODIUM_ROOT}/include"
                                          PRIVATE "${SODIUM_GENERATED}/sodium" "${SODIUM_ROOT}/include/sodium" "${SODIUM_ROOT}")
target_compile_definitions(sodium PUBLIC SODIUM_STATIC=1 PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1)
# As libsodium's configure does: wrapping arithmetic is relied on by the reference code.
target_compile_options(sodium PRIVATE -w -fwrapv -fno-strict-overflow)
set_target_properties(sodium PROPERTIES C_STANDARD 99 POSITION_INDEPENDENT_CODE OFF)
if(NOT EMSCRIPTEN)
  # Native x86-64: 128-bit arithmetic picks the 64-bit field code (fe_51, poly1305-donna64).
  target_compile_definitions(sodium PRIVATE HAVE_TI_MODE=1)
  # Not in wasm, as in libsodium's own Emscripten build: wasm32 has no 64x64->128 multiply, so each
  # one becomes a __multi3 call. Measured in Chromium 156: Poly1305 ~1000 -> ~360 MB/s and X25519
  # ~120 -> ~290 us with HAVE_TI_MODE=1.
endif()
# wasm: libsodium's portable C code only, as in its own Emscripten build (no SIMD: libsodium picks
# its SIMD paths at run time from CPUID, which wasm lacks). Until issue 11 the module ran the SSSE3
# four-block ChaCha20 through Emscripten's SSE-to-wasm-SIMD headers, pinned to -Oz because at -O1
# to -O3 it started at the wrong block counter and reused keystream inside one message; a lost pin
# would have gone unnoticed, so it went. One set of flags for the whole library: no file gets its
# own optimisation level.
if(EMSCRIPTEN AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  # Release wasm: size first, bitcode for link-time optimisation with the core (wasm/CMakeLists.txt).
  target_compile_options(sodium PRIVATE -Oz -flto)
endif()

# The bench's native SIMD limit (bench/native_simd_main.cpp, native-release only, built on demand):
# the same sources with the x86 intrinsics code paths that libsodium's configure enables on x86-64
# (SSE2 Poly1305, SSSE3/AVX2 ChaCha20), picked at run time by sodium_init(). Nothing else links it.
# HAVE_AVX_ASM only for runtime.c's inline XGETBV (the AVX check); the sandy2x X25519 it would also
# enable is never referenced (cmake/sodium/scalarmult_curve25519.c calls ref10 only).
if(NOT EMSCRIPTEN AND CMAKE_BUILD_TYPE STREQUAL "Release" AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  add_library(sodium_simd STATIC EXCLUDE_FROM_ALL ${SODIUM_SOURCES})
  target_include_directories(sodium_simd SYSTEM PUBLIC "${SODIUM_GENERATED}" "${SODIUM_ROOT}/include"
                                                 PRIVATE "${SODIUM_GENERATED}/sodium" "${SODIUM_ROOT}/include/sodium" "${SODIUM_ROOT}")
  target_compile_definitions(sodium_simd PUBLIC SODIUM_STATIC=1
    PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1 HAVE_TI_MODE=1 HAVE_CPUID=1 HAVE_AVX_ASM=1
            HAVE_EMMINTRIN_H=1 HAVE_PMMINTRIN_H=1 HAVE_TMMINTRIN_H=1 HAVE_SMMINTRIN_H=1
            HAVE_AVXINTRIN_H=1 HAVE_AVX2INTRIN_H=1)
  target_compile_options(sodium_simd PRIVATE -w -fwrapv -fno-strict-overflow)
  set_target_properties(sodium_simd PROPERTIES C_STANDARD 99 POSITION_INDEPENDENT_CODE OFF)
endif()
