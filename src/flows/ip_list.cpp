#include "flows/ip_list.hpp"
#include "common/error_codes.hpp"

#include <charconv>

namespace portal {
namespace {

bool is_dec(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decimal without leading zeros, at most `max`.
std::optional<int> parse_decimal(std::string_view s, int max) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  int v = 0;
  for (const char c : s) {
    if (!is_dec(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

bool parse_v4(std::string_view s, std::uint8_t* out) {
  for (int part = 0; part < 4; ++part) {
    const auto dot = s.find('.');
    const std::string_view piece = part < 3 ? s.substr(0, dot) : s;
    if (part < 3 && dot == std::string_view::npos) return false;
    const auto v = parse_decimal(piece, 255);
    if (!v) return false;
    out[part] = static_cast<std::uint8_t>(*v);
    if (part < 3) s.remove_prefix(dot + 1);
  }
  return true;
}

// Groups of a ':'-separated run (no "::" inside). `allow_v4_tail` lets the last piece be a
// dotted quad, which counts as two groups.
bool parse_groups(std::string_view s, bool allow_v4_tail, std::vector<std::uint16_t>& out) {
  if (s.empty()) return true;
  while (true) {
    const auto colon = s.find(':');
    const std::string_view piece = s.substr(0, colon);
    if (colon == std::string_view::npos && allow_v4_tail && piece.find('.') != std::string_view::npos) {
      std::uint8_t q[4];
      if (!parse_v4(piece, q)) return false;
      out.push_back(static_cast<std::uint16_t>(q[0] << 8 | q[1]));
      out.push_back(static_cast<std::uint16_t>(q[2] << 8 | q[3]));
      return true;
    }
    if (piece.empty() || piece.size() > 4) return false;
    int v = 0;
    for (const char c : piece) {
      const int h = hex_value(c);
      if (h < 0) return false;
      v = v * 16 + h;
    }
    out.push_back(static_cast<std::uint16_t>(v));
    if (colon == std::string_view::npos) return true;
    s.remove_prefix(colon + 1);
  }
}

bool parse_v6(std::string_view s, std::uint8_t* out) {
  std::vector<std::uint16_t> head, tail;
  const auto gap = s.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_groups(s, true, head) || head.size() != 8) return false;
  } else {
    const std::string_view left = s.substr(0, gap), right = s.substr(gap + 2);
    if (right.find("::") != std::string_view::npos) return false;
    if (!parse_groups(left, false, head) || !parse_groups(right, true, tail)) return false;
    if (head.size() + tail.size() > 7) return false;
  }
  std::array<std::uint16_t, 8> groups{};
  for (std::size_t i = 0; i < head.size(); ++i) groups[i] = head[i];
  for (std::size_t i = 0; i < tail.size(); ++i) groups[8 - tail.size() + i] = tail[i];
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
  }
  return true;
}

bool is_v4_mapped(const IpAddress& a) {
  if (a.v4) return false;
  for (int i = 0; i < 10; ++i)
    if (a.bytes[i] != 0) return false;
  return a.bytes[10] == 0xff && a.bytes[11] == 0xff;
}

IpAddress unmap(const IpAddress& a) {
  IpAddress v4;
  v4.v4 = true;
  for (int i = 0; i < 4; ++i) v4.bytes[i] = a.bytes[12 + i];
  return v4;
}

// An IPv4-mapped IPv6 range that lies inside ::ffff:0:0/96 is the IPv4 range it maps.
IpEntry unmap(IpEntry e) {
  if (is_v4_mapped(e.address) && e.prefix >= 96) {
    e.address = unmap(e.address);
    e.prefix -= 96;
  }
  return e;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool host_bits_clear(const IpEntry& e) {
  const int bits = e.address.v4 ? 32 : 128;
  for (int i = e.prefix; i < bits; ++i)
    if (e.address.bytes[i / 8] & (0x80 >> (i % 8))) return false;
  return true;
}

IpEntry masked(IpEntry e) {
  const int bits = e.address.v4 ? 32 : 128;
  for (int i = e.prefix; i < bits; ++i) e.address.bytes[i / 8] &= static_cast<std::uint8_t>(~(0x80 >> (i % 8)));
  return e;
}

Error entry_error(std::string_view field_name, const char* code, std::string message) {
  Error e = Error::of(codes::kClientInvalidArgument, message);
  e.field_errors.push_back({std::string(field_name), code, std::move(message)});
  return e;
}

}  // namespace

std::optional<IpAddress> parse_ip_address(std::string_view text) {
  IpAddress a;
  if (text.find(':') != std::string_view::npos) {
    a.v4 = false;
    if (!parse_v6(text, a.bytes.data())) return std::nullopt;
    if (is_v4_mapped(a)) return unmap(a);
    return a;
  }
  a.v4 = true;
  if (!parse_v4(text, a.bytes.data())) return std::nullopt;
  return a;
}

Result<IpEntry> parse_ip_entry(std::string_view text, std::string_view field_name) {
  const std::string_view t = trim(text);
  const std::string shown(t.substr(0, 64));
  const auto slash = t.find('/');
  const std::string_view addr_text = t.substr(0, slash);
  IpAddress raw;
  raw.v4 = addr_text.find(':') == std::string_view::npos;
  if (!(raw.v4 ? parse_v4(addr_text, raw.bytes.data()) : parse_v6(addr_text, raw.bytes.data())))
    return entry_error(field_name, kIpEntryInvalid, "'" + shown + "' is not an IPv4 or IPv6 address or CIDR");
  const int bits = raw.v4 ? 32 : 128;
  IpEntry e;
  e.address = raw;
  e.prefix = bits;
  if (slash != std::string_view::npos) {
    const auto p = parse_decimal(t.substr(slash + 1), bits);
    if (!p) return entry_error(field_name, kIpEntryInvalid, "'" + shown + "' has an invalid prefix length");
    e.prefix = *p;
  }
  if (!host_bits_clear(e))
    return entry_error(field_name, kIpCidrHostBits,
                       "'" + shown + "' has host bits set; did you mean " + to_text(unmap(masked(e))) + "?");
  return unmap(e);
}

std::string to_text(const IpAddress& a) {
  char buf[8];
  std::string out;
  if (a.v4) {
    for (int i = 0; i < 4; ++i) {
      if (i) out.push_back('.');
      out += std::to_string(a.bytes[i]);
    }
    return out;
  }
  std::array<int, 8> g{};
  for (int i = 0; i < 8; ++i) g[i] = a.bytes[2 * i] << 8 | a.bytes[2 * i + 1];
  int best_at = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) { ++i; continue; }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) { best_at = i; best_len = j - i; }
    i = j;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best_at) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out.push_back(':');
    // to_chars rather than snprintf("%x"): the same lower-case hex without printf in the module
    const auto hex = std::to_chars(buf, buf + sizeof buf, static_cast<unsigned>(g[i]), 16);
    out.append(buf, hex.ptr);
  }
  return out;
}

std::string to_text(const IpEntry& e) {
  const int bits = e.address.v4 ? 32 : 128;
  std::string out = to_text(e.address);
  if (e.prefix != bits) out += "/" + std::to_string(e.prefix);
  return out;
}

bool covers(const IpEntry& e, const IpAddress& address) {
  const IpAddress a = is_v4_mapped(address) ? unmap(address) : address;
  if (a.v4 != e.address.v4) return false;
  for (int i = 0; i < e.prefix; ++i) {
    const int mask = 0x80 >> (i % 8);
    if ((a.bytes[i / 8] & mask) != (e.address.bytes[i / 8] & mask)) return false;
  }
  return true;
}

bool covers_any(const std::vector<IpEntry>& entries, const IpAddress& address) {
  for (const IpEntry& e : entries)
    if (covers(e, address)) return true;
  return false;
}

Result<IpList> normalise_ip_list(const std::vector<std::string>& raw) {
  IpList list;
  Error all = Error::of(codes::kClientInvalidArgument, "");
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string name = "entries[" + std::to_string(i) + "]";
    auto e = parse_ip_entry(raw[i], name);
    if (!e.ok()) {
      for (auto& fe : std::move(e).error().field_errors) all.field_errors.push_back(std::move(fe));
      continue;
    }
    std::string text = to_text(e.value());
    bool seen = false;
    for (const auto& t : list.texts) seen = seen || t == text;
    if (seen) continue;
    list.entries.push_back(e.value());
    list.texts.push_back(std::move(text));
  }
  if (!all.field_errors.empty()) {
    all.message = std::to_string(all.field_errors.size()) + " invalid IP whitelist entr" +
                  (all.field_errors.size() == 1 ? "y" : "ies") + ": " + all.field_errors.front().message;
    return all;
  }
  if (list.entries.size() > kMaxIpEntries) {
    Error e = Error::of(codes::kClientInvalidArgument, "an IP whitelist holds at most " + std::to_string(kMaxIpEntries) + " entries");
    e.field_errors.push_back({"entries", "FIELD_TOO_LONG", e.message});
    return e;
  }
  return list;
}

}  // namespace portal
