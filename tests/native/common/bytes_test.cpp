#include <doctest/doctest.h>

#include "common/bytes.hpp"
#include "common/error.hpp"

using namespace portal;

TEST_CASE("hex round-trips and rejects bad input") {
  Bytes out;
  CHECK(from_hex("00ff10Ab", out));
  CHECK(out == Bytes{0x00, 0xff, 0x10, 0xab});
  CHECK(to_hex(out) == "00ff10ab");
  CHECK_FALSE(from_hex("abc", out));
  CHECK(out.empty());
  CHECK_FALSE(from_hex("zz", out));
}

TEST_CASE("Secret is wiped on reset") {
  Secret<4> s;
  for (std::size_t i = 0; i < 4; ++i) s.data()[i] = 0xAA;
  s.reset();
  for (std::size_t i = 0; i < 4; ++i) CHECK(s.data()[i] == 0);
}

TEST_CASE("Result carries a value or an error") {
  Result<int> good = 7;
  REQUIRE(good.ok());
  CHECK(good.value() == 7);
  Result<int> bad = Error::make(ErrorKind::Caller, "CLIENT.INVALID_ARGUMENT", "bad");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "CLIENT.INVALID_ARGUMENT");
  CHECK(std::string(to_string(bad.error().kind)) == "caller");
}
