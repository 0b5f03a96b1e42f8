// Test support: shared vector files and fixed randomness.
#pragma once

#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"
#include "common/random.hpp"

namespace portal::test {

// Parses `tests/vectors/<relative>`; throws (failing the test) if it is missing or invalid.
nlohmann::json load_vector(const std::string& relative);

// Hex → bytes; throws on bad hex so a broken vector cannot pass silently.
Bytes hex(const std::string& text);

// A RandomSource that hands out queued byte strings in order. Each fill() must ask for exactly
// the size of the next queued chunk; anything else throws, so a test notices a changed draw order.
class FixedRandom : public RandomSource {
 public:
  void push(Bytes chunk) { chunks_.push_back(std::move(chunk)); }
  bool exhausted() const { return chunks_.empty(); }
  bool fill(std::uint8_t* out, std::size_t size) override {
    if (chunks_.empty()) throw std::runtime_error("FixedRandom: no bytes queued");
    if (chunks_.front().size() != size)
      throw std::runtime_error("FixedRandom: asked for " + std::to_string(size) + " bytes, next chunk has " +
                               std::to_string(chunks_.front().size()));
    std::memcpy(out, chunks_.front().data(), size);
    chunks_.pop_front();
    return true;
  }

 private:
  std::deque<Bytes> chunks_;
};

}  // namespace portal::test
