// The generated catalogue (src/common/error_codes.hpp, from spec/errors.json) agrees with the
// codes and kinds the core raises.
#include <doctest/doctest.h>

#include <string>

#include "channel/errors.hpp"
#include "common/error_codes.hpp"

using namespace portal;

TEST_CASE("catalogue lookup: known codes with their kind and status, unknown codes absent") {
  const auto* row = codes::find_code(codes::kClientInvalidArgument);
  REQUIRE(row != nullptr);
  CHECK(row->kind == ErrorKind::Caller);
  CHECK(row->status == 0);
  const auto* replay = codes::find_code("SECURE_CHANNEL.REPLAY");
  REQUIRE(replay != nullptr);
  CHECK(replay->status == 400);
  CHECK(codes::find_code("CLIENT.NO_SUCH_THING") == nullptr);
  CHECK(codes::find_code("") == nullptr);
}

TEST_CASE("the channel layer's own errors carry the catalogue's kind") {
  const Error raised[] = {codes::caller_error("x"), codes::malformed("x")};
  for (const Error& e : raised) {
    CAPTURE(e.code);
    const auto* row = codes::find_code(e.code);
    REQUIRE(row != nullptr);
    CHECK(row->kind == e.kind);
  }
  for (const char* code : {codes::kUnsupportedSuite, codes::kKeyNotPinned, codes::kMalformed, codes::kInvalidKey,
                           codes::kConfirmFailed, codes::kDecryptFailed, codes::kResponseMismatch, codes::kDowngrade,
                           codes::kSeqExhausted, codes::kClosed, codes::kInvalidArgument}) {
    CAPTURE(code);
    CHECK(codes::find_code(code) != nullptr);
  }
}
