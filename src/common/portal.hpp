// The two request identities every layer checks its inputs against: the portal name and the
// X-Client-Hash value (identity/client_hash.hpp produces it).
#pragma once

#include <algorithm>
#include <iterator>
#include <string_view>

#include "common/names.hpp"

namespace portal {

// One of kPortals (spec/operations.json): the {portal} of /web/v1/{portal}/… and of the channel's info.
inline bool is_known_portal(std::string_view portal) {
  return std::find(std::begin(kPortals), std::end(kPortals), portal) != std::end(kPortals);
}

// 64 lower-case hex digits.
inline bool is_client_hash(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace portal
