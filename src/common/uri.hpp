// Percent-encoding for URI components (RFC 3986 §2.1), shared by request paths and otpauth URIs.
#pragma once

#include <string>
#include <string_view>

namespace portal {

// Escapes every byte outside RFC 3986 "unreserved" (A–Z a–z 0–9 - . _ ~) as %XX (upper-case hex),
// so a space is %20 (never '+') and '/', '?', '#', ':', '@' are escaped too. `text` is taken as
// bytes (UTF-8 is encoded byte by byte). Dot segments ("." and "..") pass through unchanged: a
// caller putting the result into a path must refuse them (a URL parser resolves them, even as %2e).
std::string percent_encode(std::string_view text);

}  // namespace portal
