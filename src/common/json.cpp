#include "common/json.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>
#include <new>

#include "common/utf8.hpp"

namespace portal {

namespace detail {
const std::string& empty_string() noexcept {
  static const std::string empty;
  return empty;
}
}  // namespace detail

namespace {

const Json kNull;

// Objects are sorted by key in byte order (std::string's order, as nlohmann's std::map).
bool key_less(const Json::Member& member, std::string_view key) noexcept { return std::string_view(member.first) < key; }

// Bytes a string scan can pass over in bulk: printable ASCII other than '"' and '\\'.
bool plain_ascii(unsigned char c) noexcept { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// Skips plain ASCII bytes, eight at a time while there are eight: stops at a quote, a backslash,
// a control character, a non-ASCII byte or `end`.
const char* skip_plain_ascii(const char* p, const char* end) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
    const std::uint64_t special = (w | ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) |
                                   ((backslash - kOnes) & ~backslash)) & kHigh;
    if (special != 0) break;
    p += 8;
  }
  while (p != end && plain_ascii(static_cast<unsigned char>(*p))) ++p;
  return p;
}

// The UTF-8 sequence that starts at p (a byte >= 0x80): how many bytes it spans, and whether it
// is valid (RFC 3629: shortest form, no surrogates, at most U+10FFFF). An invalid sequence spans
// its longest valid prefix, at least one byte — the unit a dump replaces with one U+FFFD.
std::size_t utf8_sequence(const char* p, const char* end, bool& valid) noexcept {
  const auto c = static_cast<unsigned char>(p[0]);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    valid = false;
    return 1;
  }
  std::size_t i = 1;
  for (; i < length && p + i != end; ++i) {
    const auto b = static_cast<unsigned char>(p[i]);
    if (i == 1 ? (b < low || b > high) : (b & 0xC0) != 0x80) break;
  }
  valid = i == length;
  return i;
}

void append_integer(std::string& out, std::int64_t value) {
  char buf[20];
  char* const last = buf + sizeof buf;
  char* first = last;
  std::uint64_t u = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  do {
    *--first = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (value < 0) *--first = '-';
  out.append(first, last);
}

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kMaxExactPow10 = 22;  // 10^22 is the largest power of ten a double holds exactly

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The value of a JSON number text (already validated). Exact — one correctly rounded operation on
// exact operands — when the decimal mantissa, trailing zeros removed, fits 2^53 and the power of
// ten is within ±22; otherwise an approximation by repeated scaling (within a few ulps).
double decimal_to_double(std::string_view text) noexcept {
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative) ++i;
  std::uint64_t mantissa = 0;
  int digits = 0;       // significant digits held in `mantissa` (at most 19)
  long exponent = 0;    // value = mantissa * 10^exponent
  bool fraction = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      fraction = true;
      continue;
    }
    if (!is_digit(c)) break;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (mantissa == 0 && d == 0) {  // a leading zero
      if (fraction) --exponent;
      continue;
    }
    if (digits < 19) {
      mantissa = mantissa * 10 + d;
      ++digits;
      if (fraction) --exponent;
    } else if (!fraction) {
      ++exponent;  // a dropped integer digit still scales the value
    }
  }
  if (i < text.size()) {  // 'e' or 'E'
    ++i;
    bool minus = false;
    if (text[i] == '+' || text[i] == '-') minus = text[i++] == '-';
    long e = 0;
    for (; i < text.size(); ++i)
      if (e < 100000) e = e * 10 + (text[i] - '0');
    exponent += minus ? -e : e;
  }
  double value = 0;
  if (mantissa != 0) {
    while (mantissa % 10 == 0) {
      mantissa /= 10;
      ++exponent;
    }
    value = static_cast<double>(mantissa);
    if (mantissa <= (std::uint64_t{1} << 53) && exponent >= -kMaxExactPow10 && exponent <= kMaxExactPow10) {
      value = exponent >= 0 ? value * kPow10[exponent] : value / kPow10[-exponent];
    } else {
      // Anything beyond these bounds is infinity or zero anyway.
      exponent = std::clamp(exponent, -400L, 400L);
      while (exponent > 0 && value <= std::numeric_limits<double>::max()) {
        const long step = std::min<long>(exponent, kMaxExactPow10);
        value *= kPow10[step];
        exponent -= step;
      }
      while (exponent < 0 && value != 0) {
        const long step = std::min<long>(-exponent, kMaxExactPow10);
        value /= kPow10[step];
        exponent += step;
      }
    }
  }
  return negative ? -value : value;
}

}  // namespace

// ---- construction ---------------------------------------------------------------------------------

Json::Json(Type type) noexcept : type_(type), integer_(0) {
  if (type == Type::String || type == Type::Real) new (&string_) std::string();
  else if (type == Type::Array) new (&array_) Array();
  else if (type == Type::Object) new (&object_) Object();
}

void Json::set_unsigned(std::uint64_t value) {
  if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    integer_ = static_cast<std::int64_t>(value);
    return;
  }
  // Beyond int64: kept as a number text (dumped as these digits, as nlohmann did).
  type_ = Type::Real;
  new (&string_) std::string();
  append_integer(string_, static_cast<std::int64_t>(value / 10));
  string_.push_back(static_cast<char>('0' + value % 10));
}

Json::Json(std::initializer_list<Init> init) : type_(Type::Null), integer_(0) {
  const bool pairs = std::all_of(init.begin(), init.end(), [](const Init& element) {
    const Json& v = element.value;
    return v.type_ == Type::Array && v.array_.size() == 2 && v.array_[0].type_ == Type::String;
  });
  if (pairs) {
    type_ = Type::Object;
    new (&object_) Object();
    object_.reserve(init.size());
    for (const Init& element : init) emplace(element.value.array_[0].string_, std::move(element.value.array_[1]));
  } else {
    type_ = Type::Array;
    new (&array_) Array();
    array_.reserve(init.size());
    for (const Init& element : init) array_.push_back(std::move(element.value));
  }
}

Json Json::array(std::initializer_list<Init> init) {
  Json out(Type::Array);
  out.array_.reserve(init.size());
  for (const Init& element : init) out.array_.push_back(std::move(element.value));
  return out;
}

Json Json::parse(std::string_view text) { return parse_json(text); }

Json::Json(const Json& other) : type_(other.type_), integer_(0) {
  switch (type_) {
    case Type::Boolean: boolean_ = other.boolean_; break;
    case Type::Integer: integer_ = other.integer_; break;
    case Type::Real:
    case Type::String: new (&string_) std::string(other.string_); break;
    case Type::Array: new (&array_) Array(other.array_); break;
    case Type::Object: new (&object_) Object(other.object_); break;
    case Type::Null:
    case Type::Discarded: break;
  }
}

Json::Json(Json&& other) noexcept : type_(Type::Null), integer_(0) { take(other); }

void Json::take(Json& other) noexcept {
  type_ = other.type_;
  switch (type_) {
    case Type::Boolean: boolean_ = other.boolean_; break;
    case Type::Integer: integer_ = other.integer_; break;
    case Type::Real:
    case Type::String: new (&string_) std::string(std::move(other.string_)); break;
    case Type::Array: new (&array_) Array(std::move(other.array_)); break;
    case Type::Object: new (&object_) Object(std::move(other.object_)); break;
    case Type::Null:
    case Type::Discarded: return;
  }
  other.destroy();
  other.type_ = Type::Null;
  other.integer_ = 0;
}

Json& Json::operator=(const Json& other) {
  Json copy(other);
  return *this = std::move(copy);
}

Json& Json::operator=(Json&& other) noexcept {
  if (this != &other) {
    Json held(std::move(other));  // `other` may live inside this value
    destroy();
    take(held);
  }
  return *this;
}

void Json::destroy() noexcept {
  switch (type_) {
    case Type::Real:
    case Type::String: string_.~basic_string(); break;
    case Type::Array: array_.~vector(); break;
    case Type::Object: object_.~vector(); break;
    default: break;
  }
}

// ---- reading ----------------------------------------------------------------------------------------

const std::string& Json::string_ref() const noexcept {
  return type_ == Type::String ? string_ : detail::empty_string();
}

const Json* Json::find_member(std::string_view key) const noexcept {
  const auto it = find(key);
  return it == end() ? nullptr : &*it;
}

const Json& Json::operator[](std::string_view key) const noexcept {
  const Json* member = find_member(key);
  return member ? *member : kNull;
}

const Json& Json::operator[](std::size_t index) const noexcept {
  return type_ == Type::Array && index < array_.size() ? array_[index] : kNull;
}

std::size_t Json::size() const noexcept {
  switch (type_) {
    case Type::Null: return 0;
    case Type::Array: return array_.size();
    case Type::Object: return object_.size();
    default: return 1;
  }
}

Json::iterator Json::find(std::string_view key) noexcept {
  if (type_ != Type::Object) return end();
  const auto it = std::lower_bound(object_.begin(), object_.end(), key, key_less);
  return it != object_.end() && it->first == key ? iterator(&*it) : end();
}

Json::const_iterator Json::find(std::string_view key) const noexcept { return const_cast<Json*>(this)->find(key); }

double Json::to_double() const noexcept {
  if (type_ == Type::Integer) return static_cast<double>(integer_);
  if (type_ == Type::Real) return decimal_to_double(string_);
  return 0;
}

// ---- writing ----------------------------------------------------------------------------------------

Json& Json::misuse(const char* what) {
  assert(!what && "Json: write to a value of the wrong type");
  (void)what;
  static Json sink;  // the write goes nowhere; reset so no read ever sees an earlier one
  sink = Json();
  return sink;
}

Json& Json::operator[](std::string_view key) {
  if (type_ == Type::Null) *this = object();
  if (type_ != Type::Object) return misuse("operator[](key)");
  return emplace(key, Json()).first.value();
}

Json& Json::at(std::string_view key) {
  const Json* member = find_member(key);
  return member ? const_cast<Json&>(*member) : misuse("at(key)");
}

Json& Json::operator[](std::size_t index) {
  if (type_ == Type::Null) *this = array();
  if (type_ != Type::Array) return misuse("operator[](index)");
  if (index >= array_.size()) array_.resize(index + 1);
  return array_[index];
}

Json& Json::at(std::size_t index) {
  return type_ == Type::Array && index < array_.size() ? array_[index] : misuse("at(index)");
}

void Json::push_back(Json value) {
  if (type_ == Type::Null) *this = array();
  if (type_ != Type::Array) {
    misuse("push_back");
    return;
  }
  array_.push_back(std::move(value));
}

std::pair<Json::iterator, bool> Json::emplace(std::string_view key, Json value) {
  if (type_ == Type::Null) *this = object();
  if (type_ != Type::Object) return {iterator(&misuse("emplace")), false};
  auto it = std::lower_bound(object_.begin(), object_.end(), key, key_less);
  if (it != object_.end() && it->first == key) return {iterator(&*it), false};
  it = object_.insert(it, Member(std::string(key), std::move(value)));
  return {iterator(&*it), true};
}

std::size_t Json::erase(std::string_view key) {
  if (type_ != Type::Object) return 0;
  const auto it = std::lower_bound(object_.begin(), object_.end(), key, key_less);
  if (it == object_.end() || it->first != key) return 0;
  object_.erase(it);
  return 1;
}

void Json::clear() noexcept {
  switch (type_) {
    case Type::Boolean: boolean_ = false; break;
    case Type::Integer: integer_ = 0; break;
    case Type::Real:
      string_.assign(1, '0');
      break;
    case Type::String: string_.clear(); break;
    case Type::Array: array_.clear(); break;
    case Type::Object: object_.clear(); break;
    default: break;
  }
}

bool operator==(const Json& a, const Json& b) noexcept {
  using Type = Json::Type;
  if (a.type_ != b.type_) return a.is_number() && b.is_number() && a.to_double() == b.to_double();
  switch (a.type_) {
    case Type::Null: return true;
    case Type::Boolean: return a.boolean_ == b.boolean_;
    case Type::Integer: return a.integer_ == b.integer_;
    case Type::Real: return a.string_ == b.string_ || a.to_double() == b.to_double();
    case Type::String: return a.string_ == b.string_;
    case Type::Array: return a.array_ == b.array_;
    case Type::Object: return a.object_ == b.object_;
    case Type::Discarded: return false;
  }
  return false;
}

// ---- parse --------------------------------------------------------------------------------------------

struct JsonParser {
  using Type = Json::Type;

  const char* p;
  const char* end;

  static Json parse(std::string_view text) {
    JsonParser parser{text.data(), text.data() + text.size()};
    Json out;
    if (parser.value(out, 0)) {
      parser.skip_space();
      if (parser.p == parser.end) return out;
    }
    return Json(Type::Discarded);
  }

  void skip_space() noexcept {
    while (p != end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  }

  bool literal(std::string_view word) noexcept {
    if (static_cast<std::size_t>(end - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0) return false;
    p += word.size();
    return true;
  }

  // Parses one value into `out` (a null); `depth` counts the containers around it.
  bool value(Json& out, int depth) {
    skip_space();
    if (p == end) return false;
    switch (*p) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"':
        new (&out.string_) std::string();
        out.type_ = Type::String;
        return string(out.string_);
      case 't':
        out.type_ = Type::Boolean;
        out.boolean_ = true;
        return literal("true");
      case 'f':
        out.type_ = Type::Boolean;
        out.boolean_ = false;
        return literal("false");
      case 'n': return literal("null");
      default: return number(out);
    }
  }

  bool object(Json& out, int depth) {
    if (depth > Json::kMaxDepth) return false;
    ++p;
    new (&out.object_) Json::Object();
    out.type_ = Type::Object;
    Json::Object& members = out.object_;
    skip_space();
    if (p != end && *p == '}') {
      ++p;
      return true;
    }
    bool sorted = true;
    for (;;) {
      if (p == end || *p != '"') return false;
      members.emplace_back();
      Json::Member& member = members.back();
      if (!string(member.first)) return false;
      skip_space();
      if (p == end || *p != ':') return false;
      ++p;
      if (!value(member.second, depth)) return false;
      if (members.size() > 1) {
        const int order = members[members.size() - 2].first.compare(member.first);
        if (order == 0) return false;  // a duplicate key
        sorted = sorted && order < 0;
      }
      skip_space();
      if (p == end) return false;
      if (*p == '}') break;
      if (*p != ',') return false;
      ++p;
      skip_space();
    }
    ++p;
    if (!sorted) {
      // A heap sort: O(n log n) like std::sort, in a third of its code.
      const auto by_key = [](const Json::Member& a, const Json::Member& b) { return a.first < b.first; };
      std::make_heap(members.begin(), members.end(), by_key);
      std::sort_heap(members.begin(), members.end(), by_key);
      for (std::size_t i = 1; i < members.size(); ++i)
        if (members[i - 1].first == members[i].first) return false;
    }
    return true;
  }

  bool array(Json& out, int depth) {
    if (depth > Json::kMaxDepth) return false;
    ++p;
    new (&out.array_) Json::Array();
    out.type_ = Type::Array;
    Json::Array& elements = out.array_;
    skip_space();
    if (p != end && *p == ']') {
      ++p;
      return true;
    }
    for (;;) {
      elements.emplace_back();
      if (!value(elements.back(), depth)) return false;
      skip_space();
      if (p == end) return false;
      if (*p == ']') break;
      if (*p != ',') return false;
      ++p;
    }
    ++p;
    return true;
  }

  // A string from its opening quote: runs without escapes are appended in one piece.
  bool string(std::string& out) {
    ++p;
    const char* run = p;
    for (;;) {
      p = skip_plain_ascii(p, end);
      if (p == end) return false;
      const auto c = static_cast<unsigned char>(*p);
      if (c == '"') {
        out.append(run, p);
        ++p;
        return true;
      }
      if (c == '\\') {
        out.append(run, p);
        if (!escape(out)) return false;
        run = p;
      } else if (c < 0x20) {
        return false;
      } else {
        bool valid;
        p += utf8_sequence(p, end, valid);
        if (!valid) return false;
      }
    }
  }

  bool hex4(std::uint32_t& out) noexcept {
    if (end - p < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = *p++;
      std::uint32_t digit;
      if (c >= '0' && c <= '9') digit = static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') digit = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') digit = static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
      out = out << 4 | digit;
    }
    return true;
  }

  // An escape from its backslash.
  bool escape(std::string& out) {
    ++p;
    if (p == end) return false;
    const char c = *p++;
    switch (c) {
      case '"': out.push_back('"'); return true;
      case '\\': out.push_back('\\'); return true;
      case '/': out.push_back('/'); return true;
      case 'b': out.push_back('\b'); return true;
      case 'f': out.push_back('\f'); return true;
      case 'n': out.push_back('\n'); return true;
      case 'r': out.push_back('\r'); return true;
      case 't': out.push_back('\t'); return true;
      case 'u': break;
      default: return false;
    }
    std::uint32_t cp;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low;
      if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return false;
      p += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, cp);
    return true;
  }

  bool digits() noexcept {
    const char* first = p;
    while (p != end && is_digit(*p)) ++p;
    return p != first;
  }

  bool number(Json& out) {
    const char* const first = p;
    const bool negative = *p == '-';
    if (negative) ++p;
    if (p == end) return false;
    if (*p == '0') ++p;
    else if (*p >= '1' && *p <= '9') digits();
    else return false;
    bool integral = true;
    if (p != end && *p == '.') {
      ++p;
      if (!digits()) return false;
      integral = false;
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p != end && (*p == '+' || *p == '-')) ++p;
      if (!digits()) return false;
      integral = false;
    }
    if (integral) {
      // Exactly in int64, or else a number kept as text.
      const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + negative;
      std::uint64_t magnitude = 0;
      bool fits = true;
      for (const char* d = first + negative; d != p && fits; ++d) {
        const auto digit = static_cast<std::uint64_t>(*d - '0');
        fits = magnitude <= (limit - digit) / 10;
        magnitude = magnitude * 10 + digit;
      }
      if (fits) {
        out.type_ = Type::Integer;
        out.integer_ = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
        return true;
      }
    }
    const std::string_view text(first, static_cast<std::size_t>(p - first));
    const double value = decimal_to_double(text);
    if (value > std::numeric_limits<double>::max() || value < -std::numeric_limits<double>::max()) return false;
    new (&out.string_) std::string(text);
    out.type_ = Type::Real;
    return true;
  }
};

Json parse_json(std::string_view text) { return JsonParser::parse(text); }

// ---- dump ---------------------------------------------------------------------------------------------

struct JsonWriter {
  using Type = Json::Type;

  static void string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    const char* p = s.data();
    const char* const end = p + s.size();
    const char* run = p;
    for (;;) {
      p = skip_plain_ascii(p, end);
      if (p == end) break;
      const auto c = static_cast<unsigned char>(*p);
      if (c >= 0x80) {
        bool valid;
        const std::size_t n = utf8_sequence(p, end, valid);
        if (!valid) {
          out.append(run, p);
          out.append("\xEF\xBF\xBD");
          run = p + n;
        }
        p += n;
        continue;
      }
      out.append(run, p);
      out.push_back('\\');
      switch (c) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '\b': out.push_back('b'); break;
        case '\f': out.push_back('f'); break;
        case '\n': out.push_back('n'); break;
        case '\r': out.push_back('r'); break;
        case '\t': out.push_back('t'); break;
        default: {
          const char u[] = {'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          out.append(u, sizeof u);
        }
      }
      run = ++p;
    }
    out.append(run, end);
    out.push_back('"');
  }

  static void value(std::string& out, const Json& v) {
    switch (v.type_) {
      case Type::Null: out.append("null", 4); break;
      case Type::Boolean: v.boolean_ ? out.append("true", 4) : out.append("false", 5); break;
      case Type::Integer: append_integer(out, v.integer_); break;
      case Type::Real: out += v.string_; break;
      case Type::String: string(out, v.string_); break;
      case Type::Array: {
        out.push_back('[');
        bool first = true;
        for (const Json& element : v.array_) {
          if (!first) out.push_back(',');
          first = false;
          value(out, element);
        }
        out.push_back(']');
        break;
      }
      case Type::Object: {
        out.push_back('{');
        bool first = true;
        for (const Json::Member& member : v.object_) {
          if (!first) out.push_back(',');
          first = false;
          string(out, member.first);
          out.push_back(':');
          value(out, member.second);
        }
        out.push_back('}');
        break;
      }
      case Type::Discarded: out.append("<discarded>", 11); break;
    }
  }
};

void Json::dump_to(std::string& out) const { JsonWriter::value(out, *this); }

std::string Json::dump() const {
  std::string out;
  dump_to(out);
  return out;
}

// ---- field access -------------------------------------------------------------------------------------

Result<const Json*> detail::member(const Json& obj, std::string_view key, Source source,
                                   bool (*holds)(const Json&)) {
  if (!obj.is_object()) return field_error(source, key, "FIELD_TYPE", "cannot be read: the enclosing value is not an object");
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return static_cast<const Json*>(nullptr);
  if (!holds(*it)) return field_error(source, key, "FIELD_TYPE", "has the wrong type");
  return &*it;
}

Error field_error(Source source, std::string_view name, std::string_view code, std::string_view problem) {
  const std::string text = "field '" + std::string(name) + "' " + std::string(problem);
  if (source == Source::Caller) {
    Error e = Error::make(ErrorKind::Caller, "CLIENT.INVALID_ARGUMENT", text);
    e.field_errors.push_back({std::string(name), std::string(code), text});
    return e;
  }
  return Error::make(ErrorKind::Protocol, "CLIENT.BAD_RESPONSE", "server answer: " + text);
}

}  // namespace portal
