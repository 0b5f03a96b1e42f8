// Prints the core's endpoint catalogue (src/api/catalogue.cpp) as JSON lines, one endpoint a line:
//   {"method":"POST","path":"/web/v1/{portal}/auth/login/initiate","jwt":false,"encrypted":true,"rateLimited":true}
// tests/emulator/endpoints.test.mjs compares it with the emulator's routing table, so the client
// and the server cannot drift apart without a failing test.
#include <iostream>

#include <nlohmann/json.hpp>

#include "api/catalogue.hpp"

int main() {
  using portal::api::Scope;
  for (const auto& row : portal::api::catalogue()) {
    const std::string prefix = row.scope == Scope::Channel ? "/web/v1/secure-channel/" : "/web/v1/{portal}/";
    std::cout << nlohmann::json{{"method", row.method},
                                {"path", prefix + row.suffix},
                                {"jwt", row.jwt},
                                {"encrypted", row.encrypted},
                                {"rateLimited", row.rate_limited}}
                     .dump()
              << '\n';
  }
}
