// parse_json() and dump_json() over nlohmann/json: the rules the protocol relies on (strict RFC 8259,
// no duplicate keys, bounded nesting, no NUL or BOM), the dump format, and the checked field reads.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/json.hpp"

using namespace portal;

namespace {

bool accepts(const std::string& text) { return !parse_json(text).is_discarded(); }

std::string nested(const std::string& open, const std::string& inner, const std::string& close, int depth) {
  std::string out;
  for (int i = 0; i < depth; ++i) out += open;
  out += inner;
  for (int i = 0; i < depth; ++i) out += close;
  return out;
}

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

TEST_CASE("json parse: accepted texts (y_ cases)") {
  const std::vector<std::string> cases = {
      "[]", "{}", "[[]]", "[{}]", " [ 1 , 2 ] ", "\t\r\n{\"a\" :\n1 }\r\n", "null", "true", "false", "0", "-0",
      "123", "\"\"", "\"a\"", "[\"\"]", "[null,true,false]", "{\"\":0}", "{\"a\":[],\"b\":{}}",
      "[1e2]", "[1E2]", "[1e+2]", "[1e-2]", "[0.5]", "[-0.0]", "[1.0e0]", "[0e0]", "[123.456e-789]",
      R"(["\"\\\/\b\f\n\r\t"])", R"(["\u0000"])", R"(["\u00e9\u00E9"])", R"(["\ud83d\ude00"])", R"(["\uD834\uDD1E"])",
      R"(["\uffff"])", R"(["\u2028\u2029"])", "[\"\x7f\"]", "[\"\xc3\xa9\"]", "[\"\xe2\x82\xac\"]",
      "[\"\xf0\x9f\x98\x80\"]", "[\"\xf4\x8f\xbf\xbf\"]", "[\"\xed\x9f\xbf\"]", "[\"\xee\x80\x80\"]",
      "{\"a\":1,\"b\":2,\"A\":3}", "[9223372036854775807]", "[-9223372036854775808]", "[18446744073709551616]"};
  for (const std::string& text : cases) {
    CAPTURE(text);
    CHECK(accepts(text));
  }
}

TEST_CASE("json parse: rejected texts (n_ cases)") {
  const std::vector<std::string> cases = {
      // structure
      "", " ", "[", "]", "{", "}", "[1,]", "[1,,2]", "[,1]", "{,}", "{\"a\":1,}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}",
      "{1:1}", "{a:1}", "{'a':1}", "['a']", "[1 2]", "[1]]", "{}}", "1 2", "[] x", std::string("[]\0", 3), std::string("\0[]", 3), "\"a\" \"b\"", "[\"a\",]",
      // literals and numbers
      "nul", "tru", "fals", "True", "NULL", "NaN", "[NaN]", "[Infinity]", "[-Infinity]", "[01]", "[-01]", "[00]",
      "[+1]", "[.5]", "[1.]", "[1.e2]", "[1e]", "[1e+]", "[1E-]", "[-]", "[--1]", "[0x10]", "[1_000]", "[1e400]",
      "[-1e400]", "[1.5e99999999999]",
      // comments, BOM
      "[1]//c", "/*c*/[1]", "[1,/*c*/2]", "\xEF\xBB\xBF[]",
      // strings: control characters, escapes, surrogates
      "[\"a\tb\"]", "[\"a\nb\"]", "[\"\x01\"]", "[\"\x1f\"]", "[\"abc]", "[\"\\\"]", R"(["\x41"])", R"(["\a"])",
      R"(["\U0041"])", R"(["\u12"])", R"(["\u12G4"])", R"(["\u"])", R"(["\ud800"])", R"(["\udc00"])",
      R"(["\udbff"])", R"(["\ud800\u0041"])", R"(["\ud800x"])", R"(["\ud800\ud800"])", R"(["\udc00\ud800"])",
      R"(["\ud800\\"])",
      // invalid UTF-8
      "[\"\x80\"]", "[\"\xbf\"]", "[\"\xc0\xaf\"]", "[\"\xc1\xbf\"]", "[\"\xc3\"]", "[\"\xc3x\"]", "[\"\xe0\x80\xaf\"]",
      "[\"\xe2\x82\"]", "[\"\xed\xa0\x80\"]", "[\"\xed\xbf\xbf\"]", "[\"\xf0\x80\x80\x80\"]", "[\"\xf4\x90\x80\x80\"]",
      "[\"\xf5\x80\x80\x80\"]", "[\"\xff\"]", "[\"\xfe\xff\"]", "\xff", "[1]\xff"};
  for (const std::string& text : cases) {
    CAPTURE(text);
    CHECK_FALSE(accepts(text));
  }
}

TEST_CASE("json parse: a failure is a discarded value, never an exception") {
  const Json bad = parse_json("[1,]");
  CHECK(bad.is_discarded());
  CHECK_FALSE(bad.is_null());
  CHECK_FALSE(bad.is_object());
  CHECK_FALSE(bad.is_array());
  CHECK_FALSE(field<std::string>(bad, "x").ok());
  CHECK(parse_json("[1]") == Json::array({1}));
}

TEST_CASE("json parse: a NUL byte anywhere is refused, though nlohmann's lexer stops at one") {
  CHECK(accepts("{}"));
  CHECK_FALSE(accepts(std::string("{}\0", 3)));
  CHECK_FALSE(accepts(std::string("{}\0{\"a\":1}", 10)));
  CHECK_FALSE(accepts(std::string("[\"a\0\"]", 6)));
}

TEST_CASE("json parse: duplicate keys are rejected, in any order and at any depth") {
  CHECK_FALSE(accepts(R"({"a":1,"a":1})"));
  CHECK_FALSE(accepts(R"({"a":1,"b":2,"a":3})"));
  CHECK_FALSE(accepts(R"({"b":1,"a":2,"c":3,"a":4})"));
  CHECK_FALSE(accepts(R"([{"x":{"k":1,"k":2}}])"));
  CHECK_FALSE(accepts(R"({"\u0061":1,"a":2})"));  // the same key once decoded
  CHECK(accepts(R"({"a":1,"A":2,"a ":3,"b":{"a":4}})"));
  CHECK(accepts(R"([{"a":1},{"a":2}])"));
}

TEST_CASE("json parse: nesting deeper than kMaxJsonDepth is rejected") {
  static_assert(kMaxJsonDepth == 64);
  CHECK(accepts(nested("[", "", "]", 64)));
  CHECK_FALSE(accepts(nested("[", "", "]", 65)));
  std::string objects = "1";
  for (int i = 0; i < 64; ++i) objects = "{\"a\":" + objects + "}";
  CHECK(accepts(objects));
  CHECK_FALSE(accepts("{\"a\":" + objects + "}"));
  CHECK_FALSE(accepts("[" + objects + "]"));
  CHECK(accepts(nested("[{\"a\":", "0", "}]", 32)));
  CHECK_FALSE(accepts("[" + nested("[{\"a\":", "0", "}]", 32) + "]"));
  // Far too deep is refused at the limit, without recursing further (no stack overflow).
  CHECK_FALSE(accepts(std::string(100000, '[')));
  CHECK_FALSE(accepts(nested("[", "", "]", 100000)));
}

TEST_CASE("json parse: strings decode escapes, surrogate pairs and raw UTF-8") {
  CHECK(parse_json(R"("\"\\\/\b\f\n\r\t")").get<std::string>() == "\"\\/\b\f\n\r\t");
  CHECK(parse_json(R"("\u0041\u00e9\u20AC")").get<std::string>() == "A\xc3\xa9\xe2\x82\xac");
  CHECK(parse_json(R"("\ud83d\ude00")").get<std::string>() == "\xf0\x9f\x98\x80");
  CHECK(parse_json(R"("\uDBFF\uDFFF")").get<std::string>() == "\xf4\x8f\xbf\xbf");
  CHECK(parse_json(R"("\u0000")").get<std::string>() == std::string(1, '\0'));
  CHECK(parse_json("\"a\xc3\xa9z\"").get<std::string>() == "a\xc3\xa9z");
  // Runs longer than the bulk scanner's eight bytes, with something to stop at in every position.
  const std::string run(37, 'x');
  for (std::size_t at = 0; at < run.size(); ++at) {
    std::string escaped = run, raw = run;
    escaped.replace(at, 1, "\\n");
    raw[at] = '\n';
    CHECK(parse_json("\"" + escaped + "\"").get<std::string>() == raw);
    std::string quote = run;
    quote[at] = '"';
    CHECK_FALSE(accepts("\"" + quote + "\""));
    std::string control = run;
    control[at] = '\x1f';
    CHECK_FALSE(accepts("\"" + control + "\""));
    std::string high = run;
    high[at] = '\xc3';
    CHECK_FALSE(accepts("\"" + high + "\""));
  }
}

TEST_CASE("json numbers: integers in int64 or uint64, other numbers as doubles") {
  const Json n = parse_json("[0,42,-42,9223372036854775807,-9223372036854775808,18446744073709551615,18446744073709551616,1.5]");
  REQUIRE(n.is_array());
  CHECK(json_holds<std::int64_t>(n[1]));
  CHECK(json_holds<std::uint64_t>(n[1]));
  CHECK(json_holds<std::int64_t>(n[2]));
  CHECK_FALSE(json_holds<std::uint64_t>(n[2]));
  CHECK(json_holds<std::int64_t>(n[3]));
  CHECK(json_holds<std::int64_t>(n[4]));
  CHECK_FALSE(json_holds<std::uint64_t>(n[4]));
  CHECK_FALSE(json_holds<std::int64_t>(n[5]));  // beyond int64
  CHECK(json_holds<std::uint64_t>(n[5]));
  CHECK_FALSE(json_holds<std::uint64_t>(n[6]));  // beyond uint64: a double
  CHECK(json_holds<double>(n[6]));
  CHECK_FALSE(json_holds<std::int64_t>(n[7]));
  CHECK(json_holds<double>(n[7]));
  // A value built in C++ from a signed integer reads as unsigned when it is not negative.
  CHECK(json_holds<std::uint64_t>(Json(std::int64_t{7})));
  CHECK_FALSE(json_holds<std::uint64_t>(Json(std::int64_t{-7})));
  CHECK(dump_json(n) == "[0,42,-42,9223372036854775807,-9223372036854775808,18446744073709551615,1.8446744073709552e+19,1.5]");
}

TEST_CASE("json dump: compact, sorted keys, raw UTF-8, invalid UTF-8 replaced") {
  CHECK(dump_json(parse_json(" { \"b\" : [ 1 , true , null ] , \"a\" : { } , \"c\" : [ ] } ")) ==
        R"({"a":{},"b":[1,true,null],"c":[]})");
  // Byte order: upper case before lower case before non-ASCII.
  CHECK(dump_json(parse_json("{\"\xc3\xa9\":1,\"b\":2,\"B\":3,\"a\":4,\"\":5}")) ==
        "{\"\":5,\"B\":3,\"a\":4,\"b\":2,\"\xc3\xa9\":1}");
  CHECK(dump_json(Json("caf\xc3\xa9 \xe2\x82\xac")) == "\"caf\xc3\xa9 \xe2\x82\xac\"");
  CHECK(dump_json(Json{{"a\"\n", 1}}) == R"({"a\"\n":1})");
  CHECK(dump_json(Json("a\x80z")) == "\"a" + kReplacement + "z\"");
  CHECK(dump_json(Json(std::string("\xff"))) == "\"" + kReplacement + "\"");
  CHECK(dump_json(Json{{"id", -7}, {"ok", false}}) == R"({"id":-7,"ok":false})");
}

TEST_CASE("field reads: presence and type checked, the error says whose fault") {
  const Json doc = parse_json(R"({"s":"x","b":true,"i":-3,"u":3,"d":1.5,"n":null,"o":{}})");
  CHECK(field<std::string>(doc, "s").value() == "x");
  CHECK(field<bool>(doc, "b").value());
  CHECK(field<std::int64_t>(doc, "i").value() == -3);
  CHECK(field<std::uint64_t>(doc, "u").value() == 3);
  CHECK(field<double>(doc, "d").value() == 1.5);
  CHECK(field<double>(doc, "u").value() == 3.0);
  CHECK(field<Json>(doc, "o").value().is_object());
  const auto missing = field<std::string>(doc, "nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "CLIENT.BAD_RESPONSE");
  CHECK_FALSE(field<std::string>(doc, "n").ok());  // null is missing
  CHECK(optional_field<std::string>(doc, "n").value() == std::nullopt);
  CHECK(optional_field<std::string>(doc, "nope").value() == std::nullopt);
  CHECK_FALSE(optional_field<std::string>(doc, "i").ok());  // present with the wrong type
  CHECK_FALSE(field<std::uint64_t>(doc, "i").ok());
  CHECK_FALSE(field<std::int64_t>(doc, "d").ok());
  const auto caller = field<bool>(doc, "s", Source::Caller);
  REQUIRE_FALSE(caller.ok());
  CHECK(caller.error().code == "CLIENT.INVALID_ARGUMENT");
  REQUIRE(caller.error().field_errors.size() == 1);
  CHECK(caller.error().field_errors[0].field == "s");
  CHECK(caller.error().field_errors[0].code == "FIELD_TYPE");
  CHECK_FALSE(field<std::string>(Json::array({1}), "s").ok());  // not an object
}
