#include "identity/client_hash.hpp"

#include <algorithm>
#include <cmath>

#include <sodium/crypto_hash_sha256.h>

#include "channel/base64url.hpp"
#include "channel/errors.hpp"
#include "common/bytes.hpp"
#include "common/json.hpp"
#include "common/portal.hpp"
#include "identity/nfc.hpp"

namespace portal {

namespace {

enum class SignalType { Text, Count, Memory };
struct Signal {
  std::string_view name;
  SignalType type;
};
// Sorted by name: the canonical key order.
constexpr Signal kSignals[] = {
    {"browserFamily", SignalType::Text},       {"deviceMemory", SignalType::Memory},
    {"hardwareConcurrency", SignalType::Count}, {"maxTouchPoints", SignalType::Count},
    {"platform", SignalType::Text},
};
constexpr std::size_t kMaxTextBytes = 256;
constexpr double kMemoryLimit = 1024.0 * 1024.0;  // 2^20
constexpr std::string_view kLabel = "portal-client-hash/v1";

// deviceMemory as integer digits or an exact decimal: value = n / 1024 with n < 2^30.
std::optional<std::string> memory_text(double value) {
  const double scaled = value * 1024.0;  // exact: a power-of-two scale
  if (!(value >= 0.0 && value < kMemoryLimit) || std::floor(scaled) != scaled) return std::nullopt;
  const auto n = static_cast<std::uint64_t>(scaled);
  std::string text = std::to_string(n >> 10);
  if (const std::uint64_t fraction = n & 1023; fraction != 0) {
    std::string digits = std::to_string(fraction * 9765625);  // fraction / 1024 = fraction * 5^10 / 10^10
    digits.insert(0, 10 - digits.size(), '0');
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text;
}

std::optional<std::string> signal_text(const Json& signals, const Signal& signal) {
  const auto it = signals.find(signal.name);
  if (it == signals.end() || it->is_null()) return "null";
  switch (signal.type) {
    case SignalType::Text: {
      const auto raw = field<std::string>(signals, signal.name);
      // NFC shrinks Latin text by less than 4x, so longer input can never meet the limit: it is
      // refused before normalising (which orders runs of combining marks in quadratic time).
      if (!raw || raw.value().size() > 4 * kMaxTextBytes) return std::nullopt;
      const auto normalized = nfc_normalize(raw.value());
      if (!normalized || normalized->size() > kMaxTextBytes) return std::nullopt;
      return dump_json(Json(*normalized));  // valid UTF-8 without control characters
    }
    case SignalType::Count: {
      const auto count = field<std::uint64_t>(signals, signal.name);
      return count ? std::optional<std::string>(std::to_string(count.value())) : std::nullopt;
    }
    case SignalType::Memory: {
      const auto memory = field<double>(signals, signal.name);
      return memory ? memory_text(memory.value()) : std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> canonical_signals(std::string_view signals_json) {
  const Json signals = parse_json(signals_json);
  if (!signals.is_object()) return codes::caller_error("signals must be a JSON object");
  for (const auto& item : signals.items()) {
    const bool known = std::any_of(std::begin(kSignals), std::end(kSignals),
                                   [&](const Signal& s) { return s.name == item.key(); });
    if (!known) return codes::caller_error("unknown client-hash signal: " + item.key());
  }
  std::string out = "{";
  for (const Signal& signal : kSignals) {
    const auto text = signal_text(signals, signal);
    if (!text) return codes::caller_error("client-hash signal " + std::string(signal.name) + " has a bad value");
    if (out.size() > 1) out += ',';
    out.append("\"").append(signal.name).append("\":").append(*text);
  }
  return out + "}";
}

Result<std::string> client_hash(std::string_view portal, std::string_view signals_json, std::string_view install_id) {
  if (!is_known_portal(portal))
    return codes::caller_error(kUnknownPortal);
  std::uint8_t id[16];
  if (!base64url_decode_exact(install_id, id, sizeof id))
    return codes::caller_error("install id must be base64url of 16 bytes");
  Result<std::string> canonical = canonical_signals(signals_json);
  if (!canonical) return std::move(canonical).error();

  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  const std::uint8_t separator = 0x00;
  for (const ByteView part : {ByteView(kLabel), ByteView(&separator, 1), ByteView(portal), ByteView(&separator, 1),
                              ByteView(canonical.value()), ByteView(&separator, 1), ByteView(install_id)})
    crypto_hash_sha256_update(&state, part.data, part.size);
  std::uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return to_hex(digest, sizeof digest);
}

}  // namespace portal
