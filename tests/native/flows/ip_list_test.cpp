// IP whitelist entries: parsing, canonical text, coverage, list normalisation.
#include <doctest/doctest.h>

#include "flows/ip_list.hpp"

using namespace portal;

namespace {

std::string canon(const char* text) {
  auto e = parse_ip_entry(text);
  REQUIRE_MESSAGE(e.ok(), text);
  return to_text(e.value());
}

std::string error_code(const char* text) {
  auto e = parse_ip_entry(text, "entries[0]");
  REQUIRE_MESSAGE(!e.ok(), text);
  REQUIRE(e.error().field_errors.size() == 1);
  CHECK(e.error().field_errors[0].field == "entries[0]");
  CHECK(e.error().kind == ErrorKind::Caller);
  return e.error().field_errors[0].code;
}

bool covered(const char* entry, const char* ip) {
  auto e = parse_ip_entry(entry);
  auto a = parse_ip_address(ip);
  REQUIRE(e.ok());
  REQUIRE(a);
  return covers(e.value(), *a);
}

}  // namespace

TEST_CASE("ip: valid IPv4 and IPv4 CIDR") {
  CHECK(canon("10.0.0.1") == "10.0.0.1");
  CHECK(canon("0.0.0.0") == "0.0.0.0");
  CHECK(canon("255.255.255.255") == "255.255.255.255");
  CHECK(canon("192.168.1.0/24") == "192.168.1.0/24");
  CHECK(canon("0.0.0.0/0") == "0.0.0.0/0");
  CHECK(canon("10.0.0.1/32") == "10.0.0.1");  // /32 is one address
  CHECK(canon("  203.0.113.10\t") == "203.0.113.10");
  CHECK(canon("10.0.0.0/8") == "10.0.0.0/8");
}

TEST_CASE("ip: invalid IPv4") {
  for (const char* bad : {"", " ", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-1", "01.2.3.4", "1.2.3.04", "1..3.4",
                          ".1.2.3", "1.2.3.4.", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/08", "1.2.3.4/8/8",
                          "1.2.3.4 /8", "a.b.c.d", "1.2.3.4x", "0x1.2.3.4", "1.2.3.1000", "1 .2.3.4", "+1.2.3.4",
                          "localhost", "1.2.3.4%eth0"}) {
    CAPTURE(bad);
    CHECK(error_code(bad) == kIpEntryInvalid);
  }
}

TEST_CASE("ip: IPv6 forms and RFC 5952 canonical text") {
  CHECK(canon("::") == "::");
  CHECK(canon("::1") == "::1");
  CHECK(canon("1::") == "1::");
  CHECK(canon("2001:DB8:0:0:0:0:0:1") == "2001:db8::1");
  CHECK(canon("2001:0db8:0000:0000:0001:0000:0000:0001") == "2001:db8::1:0:0:1");  // first longest run
  CHECK(canon("2001:db8:0:0:1:0:0:0") == "2001:db8:0:0:1::");                      // longest run wins
  CHECK(canon("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");                  // a single 0 is not compressed
  CHECK(canon("1:2:3:4:5:6:7::") == "1:2:3:4:5:6:7:0");
  CHECK(canon("::2:3:4:5:6:7:8") == "0:2:3:4:5:6:7:8");
  CHECK(canon("fe80::abcd:ef01") == "fe80::abcd:ef01");
  CHECK(canon("2001:db8::/32") == "2001:db8::/32");
  CHECK(canon("2001:db8::1/128") == "2001:db8::1");
  CHECK(canon("::/0") == "::/0");
  // Embedded IPv4 in the last 32 bits.
  CHECK(canon("64:ff9b::192.0.2.33") == "64:ff9b::c000:221");
  CHECK(canon("::1.2.3.4") == "::102:304");
  // IPv4-mapped becomes IPv4.
  CHECK(canon("::ffff:192.0.2.1") == "192.0.2.1");
  CHECK(canon("::FFFF:c000:0201") == "192.0.2.1");
  CHECK(canon("::ffff:10.0.0.0/104") == "10.0.0.0/8");
  CHECK(canon("::ffff:0:0/96") == "0.0.0.0/0");
}

TEST_CASE("ip: invalid IPv6") {
  for (const char* bad : {":", ":::", "1:::2", "1::2::3", ":1::", "1::2:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
                          "12345::", "g::1", "1:2:3:4:5:6:7:8::", "::1.2.3", "1.2.3.4::", "::1.2.3.4:5",
                          "1:2:3:4:5:6:7:1.2.3.4", "[::1]", "fe80::1%eth0", "::/129", "::/01", "::1 /64",
                          "1:2:3:4:5:6:1.2.3.4:8"}) {
    CAPTURE(bad);
    CHECK(error_code(bad) == kIpEntryInvalid);
  }
  CHECK(canon("1:2:3:4:5:6:1.2.3.4") == "1:2:3:4:5:6:102:304");
}

TEST_CASE("ip: a CIDR with host bits set is refused with the network as a suggestion") {
  for (const char* bad : {"192.168.1.10/24", "10.0.0.1/8", "1.2.3.4/0", "2001:db8::1/64", "::1/0", "::ffff:10.0.0.1/104"}) {
    CAPTURE(bad);
    CHECK(error_code(bad) == kIpCidrHostBits);
  }
  auto e = parse_ip_entry("192.168.1.10/24");
  CHECK(e.error().field_errors[0].message.find("192.168.1.0/24") != std::string::npos);
  auto v6 = parse_ip_entry("2001:db8::1/64");
  CHECK(v6.error().field_errors[0].message.find("2001:db8::/64") != std::string::npos);
  auto mapped = parse_ip_entry("::ffff:10.0.0.1/104");
  CHECK(mapped.error().field_errors[0].message.find("10.0.0.0/8") != std::string::npos);
}

TEST_CASE("ip: coverage") {
  CHECK(covered("10.0.0.1", "10.0.0.1"));
  CHECK_FALSE(covered("10.0.0.1", "10.0.0.2"));
  CHECK(covered("192.168.1.0/24", "192.168.1.255"));
  CHECK_FALSE(covered("192.168.1.0/24", "192.168.2.0"));
  CHECK(covered("0.0.0.0/0", "203.0.113.7"));
  CHECK(covered("10.0.0.0/9", "10.127.255.255"));
  CHECK_FALSE(covered("10.0.0.0/9", "10.128.0.0"));
  CHECK(covered("2001:db8::/32", "2001:db8:ffff::1"));
  CHECK_FALSE(covered("2001:db8::/32", "2001:db9::1"));
  CHECK_FALSE(covered("::/0", "1.2.3.4"));          // families do not mix …
  CHECK_FALSE(covered("0.0.0.0/0", "::1"));
  CHECK(covered("127.0.0.0/8", "::ffff:127.0.0.10"));  // … except IPv4-mapped addresses
  CHECK(covered("::ffff:127.0.0.10", "127.0.0.10"));
  CHECK_FALSE(parse_ip_address("10.0.0.0/8"));
  CHECK_FALSE(parse_ip_address("nope"));
}

TEST_CASE("ip list: normalised, de-duplicated, every bad entry reported by index") {
  auto ok = normalise_ip_list({"10.0.0.1", "10.0.0.1/32", "2001:DB8::1", "2001:db8:0::1", "192.168.1.0/24",
                               " 10.0.0.1 ", "::ffff:10.0.0.1"});
  REQUIRE(ok.ok());
  CHECK(ok.value().texts == std::vector<std::string>{"10.0.0.1", "2001:db8::1", "192.168.1.0/24"});
  CHECK(ok.value().entries.size() == 3);

  auto bad = normalise_ip_list({"10.0.0.1", "nope", "10.0.0.1", "192.168.1.10/24", "::g"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::Caller);
  CHECK(bad.error().code == "CLIENT.INVALID_ARGUMENT");
  REQUIRE(bad.error().field_errors.size() == 3);
  CHECK(bad.error().field_errors[0].field == "entries[1]");
  CHECK(bad.error().field_errors[0].code == kIpEntryInvalid);
  CHECK(bad.error().field_errors[1].field == "entries[3]");
  CHECK(bad.error().field_errors[1].code == kIpCidrHostBits);
  CHECK(bad.error().field_errors[2].field == "entries[4]");

  CHECK(normalise_ip_list({}).ok());
  std::vector<std::string> many;
  for (int i = 0; i < 51; ++i) many.push_back("10.0.0." + std::to_string(i));
  auto too_many = normalise_ip_list(many);
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.error().field_errors.at(0).field == "entries");
  many.pop_back();
  many.push_back("10.0.0.0");  // a duplicate does not count
  CHECK(normalise_ip_list(many).ok());
}

TEST_CASE("ip: exhaustive IPv4 octet range and every IPv4 prefix length") {
  for (int v = 0; v < 1000; ++v) {
    const std::string text = "1.2.3." + std::to_string(v);
    CAPTURE(text);
    CHECK(parse_ip_entry(text).ok() == (v <= 255));
  }
  for (int p = 0; p <= 32; ++p) {
    const std::string text = "0.0.0.0/" + std::to_string(p);
    auto e = parse_ip_entry(text);
    REQUIRE(e.ok());
    CHECK(to_text(e.value()) == (p == 32 ? std::string("0.0.0.0") : text));
  }
  for (int p = 0; p <= 128; ++p) {
    const std::string text = "::/" + std::to_string(p);
    auto e = parse_ip_entry(text);
    REQUIRE(e.ok());
    CHECK(to_text(e.value()) == (p == 128 ? std::string("::") : text));
  }
}
