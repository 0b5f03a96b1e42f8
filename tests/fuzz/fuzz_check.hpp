// What every harness shares: an invariant check that stops the run (libFuzzer then saves the
// input), and a reader that cuts the fuzzer's bytes into fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                  \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

namespace portal::fuzz {

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : text_(reinterpret_cast<const char*>(data), size) {}
  bool empty() const { return text_.empty(); }
  std::uint8_t byte() {
    if (text_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(text_.front());
    text_.remove_prefix(1);
    return b;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() << 8 | byte()); }
  // Up to the next '\n' (not included), or the rest.
  std::string_view line() {
    const auto end = text_.find('\n');
    const std::string_view out = text_.substr(0, end);
    text_.remove_prefix(end == std::string_view::npos ? text_.size() : end + 1);
    return out;
  }
  std::string_view rest() {
    const std::string_view out = text_;
    text_ = {};
    return out;
  }

 private:
  std::string_view text_;
};

}  // namespace portal::fuzz
