// Secrets are wiped when their memory is released (src/common/wipe_on_free.cpp): this executable
// defines free() itself, so every block released in the process — by the core, by libstdc++'s own
// operator delete if ours were missing, by the test — is searched for the secrets of a whole
// journey (password, access and refresh tokens) before glibc frees it. Not built with sanitizers,
// whose runtimes own free().
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <malloc.h>

#include "facade/text_facade.hpp"
#include "flows/fake_server.hpp"

extern "C" void __libc_free(void* p);

namespace {

// Fixed storage: the search must not allocate, and its needles must not be heap blocks themselves.
constexpr std::size_t kMaxNeedles = 8;
char needles[kMaxNeedles][64];
std::size_t needle_count = 0;
int unwiped[kMaxNeedles];

void watch(const char* secret) {
  REQUIRE(needle_count < kMaxNeedles);
  REQUIRE(std::strlen(secret) < sizeof needles[0]);
  std::strcpy(needles[needle_count], secret);
  unwiped[needle_count++] = 0;
}

void unwatch_all() { needle_count = 0; }

}  // namespace

extern "C" void free(void* p) {
  if (p && needle_count) {
    const std::size_t size = malloc_usable_size(p);
    for (std::size_t i = 0; i < needle_count; ++i)
      if (memmem(p, size, needles[i], std::strlen(needles[i]))) ++unwiped[i];
  }
  __libc_free(p);
}

using namespace portal;
using namespace portal::test;

TEST_CASE("the search sees a released block that still holds a secret") {
  watch("needle-for-the-control-block");
  char* block = static_cast<char*>(std::malloc(64));
  std::strcpy(block, "..needle-for-the-control-block..");
  std::free(block);  // released without wiping: must be counted
  CHECK(unwiped[0] == 1);
  unwatch_all();
}

TEST_CASE("a sign-in, a refresh and a sign-out release no block that holds the password or a token") {
  {
    Harness h;
    h.server.token_tag = "-wipe-test-7f3a9c-";
    watch(kPassword);
    watch("AT-wipe-test-7f3a9c-1");
    watch("RT-wipe-test-7f3a9c-1");
    watch("AT-wipe-test-7f3a9c-2");
    watch("RT-wipe-test-7f3a9c-2");
    h.sign_in();
    h.server.expire_access_tokens();
    const auto profile = h.start("getProfile");  // 4010 → one refresh (tokens 2) → retried
    h.drive();
    CHECK(h.ended(profile));
    CHECK(h.server.count("POST auth/token/refresh") == 1);
    const auto out = h.start("signOut");
    h.drive();
    CHECK(h.ended(out));
  }  // the client, the server and every copy the test held are released here
  for (std::size_t i = 0; i < needle_count; ++i) {
    CAPTURE(needles[i]);
    CHECK(unwiped[i] == 0);
  }
  unwatch_all();
}

TEST_CASE("the JSON facade releases no block that holds the password it was given") {
  watch("Facade-Secret-Password-42");
  {
    CountingRandom random;
    TextFacade client(random);
    CHECK(client.init(R"({"portal":"system","accessCode":"dev-system-code","clientHash":")" + std::string(64, 'a') +
                      R"(","secureChannel":"off"})") == "");
    const std::string started =
        client.start("signIn", R"({"email":"admin@example.com","password":"Facade-Secret-Password-42"})", 1000);
    CHECK(started.find("error") == std::string::npos);
    CHECK(client.poll_request().find("login/initiate") != std::string::npos);  // the head, then the body
    CHECK(client.take_request_body().find("Facade-Secret-Password-42") != std::string::npos);
  }
  CHECK(unwiped[0] == 0);
  unwatch_all();
}
