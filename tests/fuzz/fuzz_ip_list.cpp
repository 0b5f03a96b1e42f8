// IP whitelist entries (src/flows/ip_list.*). Input: lines. Each line is parsed as an address
// (differential against inet_pton) and as an entry (canonical text round trip, coverage, host
// bits); all lines together go through normalise_ip_list.
#include <arpa/inet.h>

#include <cstring>
#include <vector>

#include "flows/ip_list.hpp"
#include "fuzz_check.hpp"

using namespace portal;

namespace {

bool same(const IpAddress& a, const IpAddress& b) {
  return a.v4 == b.v4 && std::memcmp(a.bytes.data(), b.bytes.data(), a.v4 ? 4 : 16) == 0;
}
bool same(const IpEntry& a, const IpEntry& b) { return same(a.address, b.address) && a.prefix == b.prefix; }

bool mapped(const std::uint8_t* b) {
  static const std::uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(b, kPrefix, 12) == 0;
}

void check_address(std::string_view text) {
  const auto a = parse_ip_address(text);
  if (a) {
    const std::string canonical = to_text(*a);
    const auto again = parse_ip_address(canonical);
    FUZZ_CHECK(again && same(*again, *a));
    FUZZ_CHECK(to_text(*again) == canonical);
    FUZZ_CHECK(!a->v4 || canonical.find(':') == std::string::npos);
  }
  // glibc's inet_pton: the same grammar for plain addresses (dotted quads without leading zeros,
  // RFC 4291 text without zones); the core reports IPv4-mapped IPv6 as IPv4.
  if (text.size() > 60 || text.find('\0') != std::string_view::npos) return;
  const std::string c(text);
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, c.c_str(), buf) == 1) {
    FUZZ_CHECK(a && a->v4 && std::memcmp(buf, a->bytes.data(), 4) == 0);
  } else if (inet_pton(AF_INET6, c.c_str(), buf) == 1) {
    FUZZ_CHECK(a);
    if (mapped(buf)) FUZZ_CHECK(a->v4 && std::memcmp(buf + 12, a->bytes.data(), 4) == 0);
    else FUZZ_CHECK(!a->v4 && std::memcmp(buf, a->bytes.data(), 16) == 0);
  } else {
    FUZZ_CHECK(!a);
  }
}

void check_entry(std::string_view text) {
  const auto e = parse_ip_entry(text, "f");
  if (!e.ok()) {
    const Error& error = e.error();
    FUZZ_CHECK(error.kind == ErrorKind::Caller && error.code == "CLIENT.INVALID_ARGUMENT");
    FUZZ_CHECK(error.field_errors.size() == 1 && error.field_errors[0].field == "f");
    const std::string& code = error.field_errors[0].code;
    FUZZ_CHECK(code == kIpEntryInvalid || code == kIpCidrHostBits);
    return;
  }
  const IpEntry& entry = e.value();
  const int bits = entry.address.v4 ? 32 : 128;
  FUZZ_CHECK(entry.prefix >= 0 && entry.prefix <= bits);
  FUZZ_CHECK(covers(entry, entry.address));
  const std::string canonical = to_text(entry);
  const auto again = parse_ip_entry(canonical);
  FUZZ_CHECK(again.ok() && same(again.value(), entry) && to_text(again.value()) == canonical);
  // A single address is the address's own text; the entry covers exactly what its prefix says.
  if (entry.prefix == bits) FUZZ_CHECK(canonical == to_text(entry.address));
  if (entry.prefix > 0) {  // flipping the prefix's last bit leaves the range
    IpAddress outside = entry.address;
    const int bit = entry.prefix - 1;
    outside.bytes[bit / 8] ^= static_cast<std::uint8_t>(0x80 >> (bit % 8));
    FUZZ_CHECK(!covers(entry, outside));
  }
  if (entry.prefix < bits) {  // flipping the last host bit stays inside
    IpAddress inside = entry.address;
    inside.bytes[(bits - 1) / 8] ^= 1;
    FUZZ_CHECK(covers(entry, inside));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Reader in(data, size);
  std::vector<std::string> lines;
  while (!in.empty() && lines.size() < 64) {
    const std::string_view line = in.line();
    check_address(line);
    check_entry(line);
    lines.emplace_back(line);
  }

  const auto list = normalise_ip_list(lines);
  if (list.ok()) {
    const IpList& l = list.value();
    FUZZ_CHECK(l.entries.size() == l.texts.size() && l.entries.size() <= kMaxIpEntries);
    for (std::size_t i = 0; i < l.texts.size(); ++i) {
      FUZZ_CHECK(l.texts[i] == to_text(l.entries[i]));
      for (std::size_t j = 0; j < i; ++j) FUZZ_CHECK(l.texts[i] != l.texts[j]);
    }
    // Every raw line is in the list (by canonical text).
    for (const std::string& line : lines) {
      const auto e = parse_ip_entry(line);
      FUZZ_CHECK(e.ok());
      bool found = false;
      for (const std::string& t : l.texts) found = found || t == to_text(e.value());
      FUZZ_CHECK(found);
    }
  } else {
    for (const FieldError& fe : list.error().field_errors)
      FUZZ_CHECK(fe.field == "entries" || fe.field.rfind("entries[", 0) == 0);
    FUZZ_CHECK(!list.error().field_errors.empty());
  }
  return 0;
}
