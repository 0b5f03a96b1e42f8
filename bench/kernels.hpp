// The work the benchmarks time, shared by the bench wasm module (bench/wasm_entry.cpp) and the
// native bench executable (bench/native_main.cpp), so both builds run exactly the same code and
// differ only in the compiler target. Nothing here reads a clock: callers time the calls.
//
//   ChannelBench bench;
//   bench.load(transcript_json);         // the golden transcript (tests/vectors): fixed randomness
//   bench.open_session();                // begin_session + finish_session, as the client does it
//   auto body = bench.seal(m, p, json);  // request JSON in -> sealed request body out
//   auto resp = bench.server_seal(...);  // the server's answer to that seq (not timed by callers)
//   auto text = bench.open(m, p, seq, status, resp);  // response body in -> envelope JSON out
//
// With the transcript's fixed secrets every session is the transcript's session, so the server
// side is computed from the transcript's derived s2cKey instead of a second HPKE implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace portal::bench {

class ChannelBench {
 public:
  ChannelBench();
  ~ChannelBench();
  ChannelBench(const ChannelBench&) = delete;
  ChannelBench& operator=(const ChannelBench&) = delete;

  // Reads the transcript JSON; "" on success, else a message.
  std::string load(std::string_view transcript_json);
  // One client session open with the transcript's randomness; "" on success, else the error code.
  std::string open_session();
  // Session::seal on the open session: the request body, or "" on failure.
  std::string seal(std::string_view method, std::string_view path, std::string_view plaintext_json);
  // The sequence number the last seal() used.
  std::uint64_t last_seq() const noexcept;
  // The server's encrypted answer {"seq","nonce","data"} for `seq` (s2cKey, a nonce derived from seq).
  std::string server_seal(std::string_view method, std::string_view path, std::uint64_t seq, int status,
                          std::string_view envelope_json) const;
  // Session::open: the envelope JSON, or "" on failure.
  std::string open(std::string_view method, std::string_view path, std::uint64_t seq, int status,
                   std::string_view response_body);
  // Engine-fault probe (bench/pages/guard.js): seal() as above, then two independent checks of the
  // sealed bytes with the transcript's c2s key, as a guard in the core could make them:
  //   'A' in the answer's first character when a second AEAD seal of the same input gives other bytes,
  //   'B' in its second when opening the sealed bytes fails or yields other plaintext ('-' otherwise);
  // then '|' and the body (empty when seal failed).
  std::string probe_seal(std::string_view method, std::string_view path, std::string_view plaintext_json);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Raw libsodium loops over a caller-owned buffer of `size` bytes (`out` has size + 16 bytes).
// Each returns a byte of its last output so the work cannot be optimised away.
std::uint8_t aead_seal_loop(std::uint8_t* out, const std::uint8_t* in, std::size_t size, int iterations);
std::uint8_t chacha20_loop(std::uint8_t* out, const std::uint8_t* in, std::size_t size, int iterations);
std::uint8_t poly1305_loop(const std::uint8_t* in, std::size_t size, int iterations);
std::uint8_t x25519_loop(int iterations);

}  // namespace portal::bench
