// portal::Json: the strict parser (JSONTestSuite-style inline cases), numbers, the dump format the
// module has always produced, the value API the core uses, and the checked field accessor.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/json.hpp"
#include "support/json_print.hpp"

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

TEST_CASE("json parse: a failure is a discarded value") {
  const Json bad = parse_json("[1,]");
  CHECK(bad.is_discarded());
  CHECK_FALSE(bad.is_null());
  CHECK_FALSE(bad.is_object());
  CHECK_FALSE(bad.is_array());
  CHECK(bad["x"].is_null());
  CHECK_FALSE(bad.contains("x"));
  CHECK(bad.find("x") == bad.end());
  CHECK_FALSE(bad == parse_json("[1,]"));
  CHECK(Json::parse("[1,]").is_discarded());
  CHECK(Json::parse("[1]") == Json::array({1}));
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

TEST_CASE("json parse: nesting deeper than kMaxDepth is rejected") {
  static_assert(Json::kMaxDepth == 64);
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

TEST_CASE("json numbers: integers exactly in int64, everything else as its text") {
  const Json small = parse_json("[0,-0,42,-42,9223372036854775807,-9223372036854775808]");
  for (const Json& n : small) {
    CHECK(n.is_number_integer());
    CHECK_FALSE(n.is_number_float());
  }
  CHECK(small[4].get<std::int64_t>() == INT64_MAX);
  CHECK(small[5].get<std::int64_t>() == INT64_MIN);
  CHECK(small[1].get<std::int64_t>() == 0);
  CHECK(small.dump() == "[0,0,42,-42,9223372036854775807,-9223372036854775808]");
  // The uint64 reading: any non-negative integer.
  CHECK(small[2].is_number_unsigned());
  CHECK(small[0].is_number_unsigned());
  CHECK_FALSE(small[3].is_number_unsigned());
  CHECK(small[2].get<std::uint64_t>() == 42);
  CHECK(small[2].get<int>() == 42);
  CHECK(small[2].get<std::size_t>() == 42);
  // Beyond int64: a non-integer that keeps its digits.
  const Json big = parse_json("[9223372036854775808,-9223372036854775809,18446744073709551616]");
  for (const Json& n : big) {
    CHECK(n.is_number());
    CHECK(n.is_number_float());
    CHECK_FALSE(n.is_number_integer());
  }
  CHECK(big.dump() == "[9223372036854775808,-9223372036854775809,18446744073709551616]");
  CHECK(big[0].get<double>() == 9223372036854775808.0);
  // A C++ unsigned beyond int64 keeps its digits the same way.
  CHECK(Json(std::uint64_t{18446744073709551615u}).dump() == "18446744073709551615");
  CHECK(Json(std::uint64_t{9223372036854775807u}).is_number_integer());

  // Non-integers dump as written.
  for (const char* text : {"1.5", "1.50", "-0.0", "1e2", "1E+2", "1e-2", "0.1", "4.0", "123.456e-789", "2.5E10"}) {
    CAPTURE(text);
    const Json n = parse_json(text);
    CHECK(n.is_number_float());
    CHECK(n.dump() == text);
  }
}

TEST_CASE("json numbers: get<double> is exact for mantissas up to 2^53 and powers of ten up to 22") {
  struct Case {
    const char* text;
    double value;
  };
  const Case exact[] = {
      {"0.1", 0.1},
      {"-0.5", -0.5},
      {"1.5", 1.5},
      {"4.0", 4.0},
      {"0.25", 0.25},
      {"1e22", 1e22},
      {"1e-22", 1e-22},
      {"9007199254740993e0", 9007199254740992.0},  // 2^53 + 1 rounds to even: approximate path, still right
      {"9007199254740991e-22", 9007199254740991e-22},
      {"123456789012345.6", 123456789012345.6},
      {"0.000001", 0.000001},
      {"3.14159265358979", 3.14159265358979},
      {"100000000000000000000000000000000000.0", 1e35},
      {"1.000000000000000000000000000000000000001", 1.0},
      {"-0.0", -0.0},
      {"0e999", 0.0},
      {"1e-400", 0.0},
  };
  for (const Case& c : exact) {
    CAPTURE(c.text);
    const Json n = parse_json(c.text);
    REQUIRE(n.is_number());
    CHECK(n.get<double>() == c.value);
  }
  // Beyond those bounds: accepted and close.
  for (const Case& c : {Case{"1.7976931348623157e308", 1.7976931348623157e308}, Case{"2.2250738585072014e-308", 2.2250738585072014e-308},
                        Case{"12345678901234567890123e-30", 12345678901234567890123e-30}, Case{"7e300", 7e300},
                        Case{"0.30000000000000000000000000004", 0.3}}) {
    CAPTURE(c.text);
    const Json n = parse_json(c.text);
    REQUIRE(n.is_number());
    const double got = n.get<double>();
    CHECK(got >= c.value * (1 - 1e-14));
    CHECK(got <= c.value * (1 + 1e-14));
  }
  // The client hash's deviceMemory values: a multiple of 1/1024 written the way memory_text writes
  // it (the decimal digits of n / 1024) reads back exactly whenever its mantissa fits 2^53 — every
  // value up to 2^20 / 1024 = 1024, and the whole integers of the range.
  int checked = 0;
  for (std::uint64_t n = 0; n < (std::uint64_t{1} << 30); n += n < 4096 ? 1 : 1021 * 1024 + 77) {
    std::string text = std::to_string(n >> 10), digits = text;
    if (const std::uint64_t fraction = n & 1023; fraction != 0) {
      std::string decimals = std::to_string(fraction * 9765625);
      decimals.insert(0, 10 - decimals.size(), '0');
      decimals.erase(decimals.find_last_not_of('0') + 1);
      text += "." + decimals;
      digits += decimals;
    }
    if (digits.size() > 16 || std::stoull(digits) > (std::uint64_t{1} << 53)) continue;
    ++checked;
    CAPTURE(text);
    CHECK(parse_json(text).get<double>() == static_cast<double>(n) / 1024.0);
  }
  CHECK(checked > 4096);
  // Integers read as doubles; equality across the two kinds is numeric.
  CHECK(parse_json("7").get<double>() == 7.0);
  CHECK(parse_json("1.0") == Json(1));
  CHECK(parse_json("1.50") == parse_json("1.5"));
  CHECK(parse_json("1e2") == Json(100));
  CHECK(parse_json("1.5") != Json(1));
}

TEST_CASE("json dump: compact, sorted keys, nlohmann's escapes, raw UTF-8") {
  CHECK(parse_json(" { \"b\" : [ 1 , true , null ] , \"a\" : { } , \"c\" : [ ] } ").dump() ==
        R"({"a":{},"b":[1,true,null],"c":[]})");
  // Byte order: upper case before lower case before non-ASCII.
  CHECK(parse_json("{\"\xc3\xa9\":1,\"b\":2,\"B\":3,\"a\":4,\"\":5}").dump() == "{\"\":5,\"B\":3,\"a\":4,\"b\":2,\"\xc3\xa9\":1}");
  // Many keys in falling order come out sorted, each still found.
  std::string falling = "{", rising = "{";
  for (int i = 299; i >= 0; --i) falling += "\"k" + std::to_string(1000 + i) + "\":" + std::to_string(i) + (i ? "," : "}");
  for (int i = 0; i < 300; ++i) rising += "\"k" + std::to_string(1000 + i) + "\":" + std::to_string(i) + (i < 299 ? "," : "}");
  const Json many = parse_json(falling);
  CHECK(many.dump() == rising);
  CHECK(many["k1137"] == Json(137));
  CHECK_FALSE(parse_json(falling.substr(0, falling.size() - 1) + ",\"k1042\":0}").is_object());  // a late duplicate
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  CHECK(Json(controls).dump() ==
        R"("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f)"
        R"(\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f")");
  CHECK(Json("q\"b\\s/d\x7f").dump() == "\"q\\\"b\\\\s/d\x7f\"");
  CHECK(Json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80").dump() == "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  CHECK(parse_json(R"("\u00e9")").dump() == "\"\xc3\xa9\"");
  // Keys are escaped like values.
  CHECK(Json{{"a\"\n", 1}}.dump() == R"({"a\"\n":1})");
  CHECK(Json().dump() == "null");
  CHECK(parse_json("x").dump() == "<discarded>");
  CHECK(dump_json(Json{{"id", -7}, {"ok", false}}) == R"({"id":-7,"ok":false})");
}

TEST_CASE("json dump: invalid UTF-8 becomes U+FFFD, one per maximal invalid subsequence") {
  struct Case {
    std::string raw;
    std::string dumped;
  };
  const std::string R = kReplacement;
  const Case cases[] = {
      {"\xff", R},
      {"a\x80z", "a" + R + "z"},
      {"\xc3", R},                           // truncated at the end
      {"a\xc3z", "a" + R + "z"},             // truncated before ASCII
      {"\xe2\x82", R},                       // a two-byte prefix of a three-byte sequence: one
      {"\xe2\x82z", R + "z"},
      {"\xe0\x80\xaf", R + R + R},           // overlong: E0 needs A0..BF
      {"\xed\xa0\x80", R + R + R},           // a surrogate: ED needs 80..9F
      {"\xf0\x9f\x98", R},
      {"\xf0\x9f\x98\xf0\x9f\x98\x80", R + "\xf0\x9f\x98\x80"},
      {"\xf4\x90\x80\x80", R + R + R + R},   // beyond U+10FFFF
      {"\xc0\xaf", R + R},
      {"\xc3\xa9\xff\xc3\xa9", "\xc3\xa9" + R + "\xc3\xa9"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.raw);
    CHECK(Json(c.raw).dump() == "\"" + c.dumped + "\"");
  }
  // Never an exception and never an empty text.
  CHECK_FALSE(dump_json(Json(std::string("\xff"))).empty());
}

TEST_CASE("json dump: round trips") {
  for (const char* text : {
           R"({"a":[1,-2,3.25,"x\u0001y",{"b":null}],"c":true,"d":"\"quoted\"","e":""})",
           R"([[],{},[[]],[{}],0,-9223372036854775808,1e300,"\u001f"])",
           "{\"k\":\"\xe6\x97\xa5\xe6\x9c\xac\",\"z\":[false]}",
       }) {
    CAPTURE(text);
    const Json value = parse_json(text);
    REQUIRE_FALSE(value.is_discarded());
    CHECK(value.dump() == text);
    CHECK(parse_json(value.dump()) == value);
  }
  // A text with white space and unsorted keys settles after one dump.
  const Json messy = parse_json(" {\"z\" : 1 , \"a\" : [ \"\\u00e9\" , \"\\/\" ] } ");
  CHECK(messy.dump() == "{\"a\":[\"\xc3\xa9\",\"/\"],\"z\":1}");
  CHECK(parse_json(messy.dump()).dump() == messy.dump());
  // A long base64url string (the sealed body's shape) survives unchanged.
  std::string b64;
  for (int i = 0; i < 1400; ++i) b64 += "AZaz09-_"[i % 8];
  const std::string sealed = R"({"data":")" + b64 + R"(","nonce":"AAECAwQFBgcICQoL","seq":17})";
  CHECK(parse_json(sealed).dump() == sealed);
  CHECK(parse_json(sealed)["data"].string_ref() == b64);
}

TEST_CASE("json values: brace initialisers follow nlohmann") {
  const Json obj{{"id", 1}, {"name", "x"}};
  CHECK(obj.is_object());
  CHECK(obj.size() == 2);
  CHECK(obj.dump() == R"({"id":1,"name":"x"})");
  CHECK(Json{{"a", 1}}.is_object());
  CHECK(Json{{"a", 1}, {"b"}}.dump() == R"([["a",1],["b"]])");
  CHECK(Json{{"a", 1}, {2, 3}}.dump() == R"([["a",1],[2,3]])");
  CHECK(Json{1, 2}.dump() == "[1,2]");
  CHECK(Json{"a", "b"}.dump() == R"(["a","b"])");
  CHECK(Json{{"a", "b"}, {"c", "d"}}.dump() == R"({"a":"b","c":"d"})");
  CHECK(Json{{"a", 1}, {"a", 2}}.dump() == R"({"a":1})");  // the first of equal keys wins
  CHECK(Json{{"list", {"x", "y"}}, {"obj", {{"k", nullptr}}}, {"empty", Json::array()}}.dump() ==
        R"({"empty":[],"list":["x","y"],"obj":{"k":null}})");
  CHECK(Json::array({{"a", 1}}).dump() == R"([["a",1]])");
  CHECK(Json::array({1, "two", true, nullptr}).dump() == R"([1,"two",true,null])");
  CHECK(Json::object().dump() == "{}");
  CHECK(Json::array().dump() == "[]");
  const std::vector<std::string> methods{"EMAIL", "OTP"};
  CHECK(Json{{"methods", methods}}.dump() == R"({"methods":["EMAIL","OTP"]})");
  // A braced value is moved, not copied, into place: a Json holding a long string keeps its
  // buffer.
  Json long_text(std::string(1000, 'q'));
  const char* buffer = long_text.string_ref().data();
  const Json moved{{"t", std::move(long_text)}};
  CHECK(moved["t"].string_ref().data() == buffer);
  CHECK(Json{std::uint64_t{5}, std::int64_t{-5}, 'A', short{3}}.dump() == "[5,-5,65,3]");
}

TEST_CASE("json values: reading never goes out of range") {
  const Json doc = parse_json(R"({"s":"x","n":3,"neg":-1,"f":2.5,"b":true,"z":null,"a":[10,20],"o":{"k":"v"}})");
  REQUIRE(doc.is_object());
  CHECK(doc["s"].is_string());
  CHECK(doc["n"].is_number_integer());
  CHECK(doc["f"].is_number_float());
  CHECK(doc["b"].is_boolean());
  CHECK(doc["z"].is_null());
  CHECK(doc["a"].is_array());
  CHECK(doc["o"].is_object());
  CHECK(doc["missing"].is_null());
  CHECK(doc.at("missing").is_null());
  CHECK(doc["a"][1] == 20);
  CHECK(doc["a"].at(1) == 20);
  CHECK(doc["a"][2].is_null());
  CHECK(doc["s"][0].is_null());
  CHECK(doc["s"]["k"].is_null());
  CHECK(doc["o"]["k"] == "v");
  // Wrong-type reads give defaults.
  CHECK(doc["n"].get<std::string>().empty());
  CHECK(doc["s"].get<std::int64_t>() == 0);
  CHECK(doc["s"].get<double>() == 0.0);
  CHECK_FALSE(doc["n"].get<bool>());
  CHECK(doc["f"].get<std::int64_t>() == 0);
  CHECK(doc["f"].get<double>() == 2.5);
  CHECK(doc["s"].get<Json>() == "x");
  CHECK(doc["n"].string_ref().empty());
  // value(key, default)
  CHECK(doc.value("s", "d") == "x");
  CHECK(doc.value("missing", "d") == "d");
  CHECK(doc.value("n", "d") == "d");
  CHECK(doc.value("n", 0) == 3);
  CHECK(doc.value("neg", std::uint64_t{7}) == 7);
  CHECK(doc.value("b", false));
  CHECK(doc.value("o", Json::object()) == Json{{"k", "v"}});
  CHECK(doc.value("missing", Json::array()) == Json::array());
  CHECK(Json(5).value("n", 1) == 1);
  // find / contains / size / empty
  CHECK(doc.contains("z"));
  CHECK_FALSE(doc.contains("zz"));
  CHECK(doc.find("n") != doc.end());
  CHECK(*doc.find("n") == 3);
  CHECK(doc.find("nn") == doc.end());
  CHECK(doc["a"].find("n") == doc["a"].end());
  CHECK(doc.size() == 8);
  CHECK(doc["a"].size() == 2);
  CHECK(Json().size() == 0);
  CHECK(Json().empty());
  CHECK(Json(1).size() == 1);
  CHECK_FALSE(Json("").empty());
  CHECK(Json::object().empty());
  CHECK(Json::array().empty());
}

TEST_CASE("json values: iteration visits elements, or values in key order with their keys") {
  const Json doc = parse_json(R"({"c":3,"a":1,"b":2})");
  std::string keys;
  std::int64_t sum = 0;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    keys += it.key();
    sum += it->get<std::int64_t>();
    CHECK(it.value() == *it);
  }
  CHECK(keys == "abc");
  CHECK(sum == 6);
  keys.clear();
  for (const auto& item : doc.items()) keys += item.key() + "=" + item.value().dump() + ";";
  CHECK(keys == "a=1;b=2;c=3;");
  std::string elements;
  for (const Json& e : parse_json(R"([1,"x",null])")) elements += e.dump();
  CHECK(elements == R"(1"x"null)");
  int visits = 0;
  for (const Json& e : Json(7)) visits += static_cast<int>(e.size());
  for (const Json& e : Json()) visits += static_cast<int>(e.size());
  for (const Json& e : Json::object()) visits += static_cast<int>(e.size());
  CHECK(visits == 0);
  // Through a mutable iterator.
  Json mutable_doc = doc;
  for (auto it = mutable_doc.begin(); it != mutable_doc.end(); ++it) *it = it.key();
  CHECK(mutable_doc.dump() == R"({"a":"a","b":"b","c":"c"})");
}

TEST_CASE("json values: writing") {
  Json out;
  out["z"] = 1;
  out["a"]["nested"] = "x";  // a null member becomes an object
  out["m"] = std::vector<std::string>{"p", "q"};
  out["n"] = nullptr;
  CHECK(out.dump() == R"({"a":{"nested":"x"},"m":["p","q"],"n":null,"z":1})");
  out["z"] = Json::array();
  out["z"].push_back(1);
  out["z"].push_back({"k", "v"});  // an array [k, v] inside an array, as nlohmann
  CHECK(out["z"].dump() == R"([1,["k","v"]])");
  Json list;
  list.push_back("first");  // a null becomes an array
  list[3] = true;           // grows with nulls
  CHECK(list.dump() == R"(["first",null,null,true])");
  CHECK(list.at(0) == "first");
  list.at(0) = "changed";
  CHECK(list[0] == "changed");

  Json obj = Json::object();
  auto [it, inserted] = obj.emplace("k", 1);
  CHECK(inserted);
  CHECK(*it == 1);
  auto [again, inserted_again] = obj.emplace("k", 2);
  CHECK_FALSE(inserted_again);
  CHECK(*again == 1);
  obj.at("k") = 5;
  CHECK(obj["k"] == 5);
  CHECK(obj.erase("k") == 1);
  CHECK(obj.erase("k") == 0);
  CHECK(obj.empty());
  CHECK(Json(3).erase("k") == 0);

  // Assigning a member to its parent (the parent is replaced by the member's value).
  Json tree = parse_json(R"({"inner":{"leaf":[1,2]}})");
  tree = tree["inner"];
  CHECK(tree.dump() == R"({"leaf":[1,2]})");
  tree = std::move(tree["leaf"]);
  CHECK(tree.dump() == "[1,2]");
  // Copies are deep; a moved-from value is null.
  Json copy = tree;
  copy[0] = 9;
  CHECK(tree[0] == 1);
  Json target = std::move(copy);
  CHECK(copy.is_null());
  CHECK(target.dump() == "[9,2]");
  target.clear();
  CHECK(target.dump() == "[]");
}

TEST_CASE("json values: equality") {
  CHECK(parse_json(R"({"a":[1,{"b":null}],"c":"d"})") == Json{{"c", "d"}, {"a", Json::array({1, Json{{"b", nullptr}}})}});
  CHECK(parse_json(R"({"a":1})") != parse_json(R"({"a":1,"b":2})"));
  CHECK(parse_json(R"({"a":1})") != parse_json(R"({"b":1})"));
  CHECK(parse_json("[1,2]") != parse_json("[2,1]"));
  CHECK(Json("1") != Json(1));
  CHECK(Json(true) != Json(1));
  CHECK(Json() == Json(nullptr));
  CHECK(Json() != Json::object());
  CHECK(Json::object() != Json::array());
  CHECK(Json(std::string("x")) == "x");
  CHECK(Json(-3) == std::int64_t{-3});
  CHECK(Json(false) == false);
}

TEST_CASE("the checked accessor: caller vs peer faults, missing vs mistyped") {
  const Json obj = Json::parse(R"({"s":"x","n":3,"neg":-4,"f":1.5,"b":true,"z":null})");
  CHECK(field<std::string>(obj, "s").value() == "x");
  CHECK(field<std::int64_t>(obj, "n").value() == 3);
  CHECK(field<std::int64_t>(obj, "neg").value() == -4);
  CHECK(field<std::uint64_t>(obj, "n").value() == 3);
  CHECK_FALSE(field<std::uint64_t>(obj, "neg").ok());
  CHECK_FALSE(field<std::int64_t>(obj, "f").ok());
  CHECK(field<double>(obj, "f").value() == 1.5);
  CHECK(field<double>(obj, "n").value() == 3.0);
  CHECK(field<bool>(obj, "b").value());
  CHECK(field<Json>(obj, "s").value() == "x");
  auto missing = field<std::string>(obj, "nope", Source::Caller);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::Caller);
  CHECK(missing.error().field_errors.at(0).code == "FIELD_REQUIRED");
  auto typed = field<std::string>(obj, "n", Source::Caller);
  CHECK(typed.error().field_errors.at(0).code == "FIELD_TYPE");
  auto peer = field<std::string>(obj, "z");
  CHECK(peer.error().kind == ErrorKind::Protocol);
  CHECK(peer.error().code == "CLIENT.BAD_RESPONSE");
  CHECK_FALSE(field<Json>(obj, "z").ok());
  CHECK_FALSE(optional_field<std::string>(obj, "z").value().has_value());
  CHECK_FALSE(optional_field<std::string>(obj, "nope").value().has_value());
  CHECK(optional_field<std::string>(obj, "s").value() == std::optional<std::string>("x"));
  CHECK_FALSE(optional_field<std::string>(obj, "n").ok());
  CHECK_FALSE(field<std::string>(Json::array(), "s").ok());
  CHECK(field<std::string>(Json::array(), "s").error().message.find("not an object") != std::string::npos);
  CHECK_FALSE(optional_field<std::string>(parse_json("nope"), "s").ok());
}
