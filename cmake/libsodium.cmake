# libsodium 1.0.18 compiled from the verified Debian source that scripts/setup unpacks into
# third_party/libsodium. Its tarball has no configure script, so we define what configure would:
# CONFIGURED=1 and a generated sodium/version.h. Every .c file is compiled; the linker keeps only
# what the core calls (X25519, HMAC-SHA256, SHA-256, ChaCha20-Poly1305, memzero, verify).
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
add_library(sodium STATIC ${SODIUM_SOURCES})
target_include_directories(sodium SYSTEM PUBLIC "${SODIUM_GENERATED}" "${SODIUM_ROOT}/include"
                                          PRIVATE "${SODIUM_GENERATED}/sodium" "${SODIUM_ROOT}/include/sodium")
target_compile_definitions(sodium PUBLIC SODIUM_STATIC=1 PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1)
# As libsodium's configure does: wrapping arithmetic is relied on by the reference code.
target_compile_options(sodium PRIVATE -w -fwrapv -fno-strict-overflow)
set_target_properties(sodium PROPERTIES C_STANDARD 99 POSITION_INDEPENDENT_CODE OFF)
if(NOT EMSCRIPTEN)
  # Native x86-64: 128-bit arithmetic picks the 64-bit field code (fe_51, poly1305-donna64).
  # libsodium's own Emscripten build leaves this off; issue 6 measures the difference.
  target_compile_definitions(sodium PRIVATE HAVE_TI_MODE=1)
endif()
