#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "common/callback.hpp"

using portal::Callback;

TEST_CASE("Callback calls its callable with the arguments and returns its result") {
  int base = 40;
  Callback<int(int, const std::string&)> add = [base](int n, const std::string& s) {
    return base + n + static_cast<int>(s.size());
  };
  REQUIRE(static_cast<bool>(add));
  CHECK(add(1, "x") == 42);
  CHECK(add(0, "") == 40);
}

TEST_CASE("Callback owns move-only captures, moves them along and destroys them exactly once") {
  auto token = std::make_shared<int>(7);
  std::weak_ptr<int> watch = token;
  {
    Callback<int()> first = [owned = std::make_unique<std::shared_ptr<int>>(std::move(token))] { return **owned; };
    CHECK(first() == 7);
    Callback<int()> second = std::move(first);
    CHECK_FALSE(static_cast<bool>(first));
    CHECK(second() == 7);
    Callback<int()> third;
    CHECK_FALSE(static_cast<bool>(third));
    third = std::move(second);
    CHECK(third() == 7);
    CHECK_FALSE(watch.expired());
  }
  CHECK(watch.expired());
}

TEST_CASE("assigning over a Callback destroys the callable it held") {
  auto held = std::make_shared<int>(1);
  std::weak_ptr<int> watch = held;
  Callback<void()> slot = [held = std::move(held)] {};
  slot = [] {};
  CHECK(watch.expired());
}
