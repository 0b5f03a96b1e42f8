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
else()
  # wasm SIMD: libsodium's SSSE3 ChaCha20 (dolbeau, four blocks at a time) compiled through
  # Emscripten's SSE-to-wasm-SIMD headers, where each intrinsic it uses is one or two wasm SIMD
  # instructions. libsodium picks its SIMD paths at run time from CPUID, which wasm lacks, so the
  # dispatch file starts on it instead of on the portable code (its default implementation pointer
  # is renamed for that one file). Every browser with wasm SIMD (Chrome 91, Firefox 89, Safari
  # 16.4) runs it. Its SSE2 Poly1305 measured slower in wasm than the portable donna code (~750 vs
  # ~1100 MB/s), so Poly1305 stays portable. Figures: docs/benchmarks.md, figure 5.
  # -Oz, whatever the build type: compiled at -O1, -O2 or -O3 (clang 14, emcc 3.1.6) its four-block
  # path gives wrong output for messages of 256 bytes and more, while -O0 and -Oz match the portable
  # code (and run at ~1150 MB/s in Node 20). The browser suite checks every length from 0 to 2048
  # against the one-block path (tests/wasm/testkit.cpp, chacha20_first_mismatch).
  set_source_files_properties("${SODIUM_ROOT}/crypto_stream/chacha20/dolbeau/chacha20_dolbeau-ssse3.c"
    TARGET_DIRECTORY sodium PROPERTIES COMPILE_OPTIONS "-msimd128;-mssse3;-Oz"
    COMPILE_DEFINITIONS "HAVE_EMMINTRIN_H=1;HAVE_TMMINTRIN_H=1")
  set_source_files_properties("${SODIUM_ROOT}/crypto_stream/chacha20/stream_chacha20.c"
    TARGET_DIRECTORY sodium PROPERTIES COMPILE_DEFINITIONS
    "HAVE_EMMINTRIN_H=1;HAVE_TMMINTRIN_H=1;crypto_stream_chacha20_ref_implementation=crypto_stream_chacha20_dolbeau_ssse3_implementation")
endif()
if(EMSCRIPTEN AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  # Release wasm: size first, bitcode for link-time optimisation with the core (wasm/CMakeLists.txt)...
  target_compile_options(sodium PRIVATE -Oz -flto)
  # ...except the portable loops the secure channel spends its time in, which -Oz slows by up to
  # 30 % (X25519 ~120 -> ~175 us; Poly1305 likewise). SHA-256 stays -Oz: a session open hashes
  # a few hundred bytes, and its unrolled -O3 form cost 0.3 KiB gzip. (ChaCha20 is the SIMD file
  # above.)
  set_source_files_properties(
    "${SODIUM_ROOT}/crypto_onetimeauth/poly1305/donna/poly1305_donna.c"
    "${SODIUM_ROOT}/crypto_scalarmult/curve25519/ref10/x25519_ref10.c"
    TARGET_DIRECTORY sodium PROPERTIES COMPILE_OPTIONS -O3)
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
