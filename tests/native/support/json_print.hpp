// Lets doctest print a portal::Json in a failed CHECK (as its dump) instead of "{?}".
#pragma once

#include <ostream>

#include "common/json.hpp"

namespace portal {
inline std::ostream& operator<<(std::ostream& out, const Json& value) { return out << value.dump(); }
}  // namespace portal
