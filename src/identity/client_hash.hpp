// X-Client-Hash v1 (docs/api.md §1.1): the JS side gathers the signals and keeps the install
// id; the core canonicalises and hashes.
//
//   clientHash = hex(SHA-256("portal-client-hash/v1" || 0x00 || portal || 0x00 ||
//                            canonical(signals) || 0x00 || installId))
//
// installId is hashed as its base64url text (the form JS stores). Decisions on canonical(signals):
//   - The signal set is fixed; the canonical form always has all five keys, sorted:
//       {"browserFamily":S,"deviceMemory":N,"hardwareConcurrency":I,"maxTouchPoints":I,"platform":S}
//     with no white space. A missing signal or JSON null becomes null.
//   - Unknown keys are REJECTED (Caller error), not dropped: a misspelt signal would otherwise turn
//     silently into null and weaken the hash for every user.
//   - browserFamily, platform: strings of at most 256 bytes, NFC-normalised (identity/nfc.hpp:
//     exact NFC over a Latin repertoire; other characters are a Caller error), then JSON-escaped.
//   - hardwareConcurrency, maxTouchPoints: non-negative JSON integers, written as decimal.
//   - deviceMemory: a non-negative number below 2^20 that is a multiple of 1/1024 (browsers report
//     0.25, 0.5, 1, 2, 4, 8 …), written as an integer when whole, else as its exact decimal
//     expansion (0.25, 0.5), so 8 and 8.0 hash alike.
//   - Any other type is a Caller error.
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace portal {

// The canonical signals text described above, from the JS side's JSON object text.
// Errors: CLIENT.INVALID_ARGUMENT (Caller) for non-object JSON, unknown keys, wrong types, values
// out of range or strings outside the NFC repertoire.
Result<std::string> canonical_signals(std::string_view signals_json);

// The X-Client-Hash value: 64 lower-case hex digits. `portal` must be "system", "tenant" or
// "consumer"; `install_id` strict base64url of exactly 16 bytes (22 characters); else Caller error.
// Same inputs, same hash, on every call: the caller computes it once per page and sends it on
// every request (and passes it to begin_session).
Result<std::string> client_hash(std::string_view portal, std::string_view signals_json, std::string_view install_id);

}  // namespace portal
