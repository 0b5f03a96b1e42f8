// IP whitelist entries: parsing, canonical text, coverage. Pure; no JSON, no state.
//
// Accepted forms (surrounding ASCII white space is trimmed, nothing else is forgiven):
//   IPv4            dotted quad, each part 0–255 in decimal without leading zeros ("010.0.0.1"
//                   is refused: some parsers read it as octal)
//   IPv6            RFC 4291 §2.2: 1–4 hex digits per group, at most one "::", an embedded
//                   dotted quad in the last 32 bits; no zone ("%eth0"), no brackets
//   CIDR            either of the above + "/" + a decimal prefix without leading zeros
//                   (0–32 for IPv4, 0–128 for IPv6)
//
// Normalisation (what the client sends, so the server and the duplicate check see one form):
//   - IPv6 in RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups
//     as "::" (the first on a tie)
//   - IPv4-mapped IPv6 (::ffff:a.b.c.d, prefix ≥ 96) becomes the IPv4 form — servers behind
//     dual-stack sockets report IPv4 clients that way, and both spellings are one address
//   - "/32" on IPv4 and "/128" on IPv6 are dropped: a single address
//   - a CIDR with host bits set ("192.168.1.10/24") is REFUSED, not masked: the user meant
//     either the host or the network, and silently widening a whitelist to a /24 is the wrong
//     guess to make quietly. The field error names the network form as a suggestion.
//
// List rules (normalise_ip_list): at most kMaxIpEntries after removing duplicates; duplicates
// (by canonical form) are removed keeping the first; every bad entry gives one field error
// "entries[i]" (i = index in the caller's list), all reported at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace portal {

inline constexpr std::size_t kMaxIpEntries = 50;

struct IpAddress {
  bool v4 = true;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in bytes[0..3]
};

struct IpEntry {
  IpAddress address;
  int prefix = 32;  // 32 / 128 for a single address
};

// Field-error codes.
inline constexpr const char* kIpEntryInvalid = "IP_ENTRY_INVALID";
inline constexpr const char* kIpCidrHostBits = "IP_CIDR_HOST_BITS";

// A plain address (no prefix); IPv4-mapped IPv6 comes back as IPv4.
std::optional<IpAddress> parse_ip_address(std::string_view text);

// One entry. On failure: a Caller error CLIENT.INVALID_ARGUMENT whose single field error has
// field `field_name` and code IP_ENTRY_INVALID or IP_CIDR_HOST_BITS.
Result<IpEntry> parse_ip_entry(std::string_view text, std::string_view field_name = "entry");

std::string to_text(const IpAddress& address);
std::string to_text(const IpEntry& entry);

bool covers(const IpEntry& entry, const IpAddress& address);
// True when any entry covers `address`.
bool covers_any(const std::vector<IpEntry>& entries, const IpAddress& address);

struct IpList {
  std::vector<IpEntry> entries;
  std::vector<std::string> texts;  // canonical, same order
};

Result<IpList> normalise_ip_list(const std::vector<std::string>& raw);

}  // namespace portal
