// JSON in the core: the value type, one non-throwing parse, one non-throwing dump, one checked
// field accessor.
//
// `Json` is a small DOM written for this project; it replaced nlohmann/json, whose parser, printf/
// strtod number formatting and std::map instantiations were a fifth of the module (100.0 -> 81.2
// KiB gzip). Nothing in it throws or reads out of range: a syntax error gives a discarded value, a
// wrong-type read gives a default (`get<T>()`) or a null (`operator[]`, `at`), and a dump replaces
// invalid UTF-8. Its API is the subset of nlohmann's that the core and its tests use, with the
// same meaning — in particular `Json{{"id", 1}, {"name", "x"}}` is an object (every element a
// two-element array led by a string) and anything else in braces an array.
//
// The text format (parse_json):
//   - strict RFC 8259: no trailing commas, comments, leading zeros, NaN/Infinity, unescaped
//     control characters, invalid UTF-8, bad \u escapes or lone surrogates (pairs decode to UTF-8);
//   - no duplicate object keys, no nesting deeper than kMaxDepth (the wasm stack is 64 KiB);
//   - white space around the value, nothing after it (no byte order mark either).
// Objects keep their keys sorted (byte order), so dump_json() writes every value the way
// nlohmann's dump() did: compact, non-ASCII UTF-8 raw, \" \\ \b \f \n \r \t and other controls as
// \u00xx, invalid UTF-8 replaced by U+FFFD.
//
// Numbers: an integer literal that fits int64 is an integer (a non-negative one also reads as
// uint64). Any other number (a fraction, an exponent, beyond int64) keeps its source text, which
// dump reproduces; get<double>() computes it — exactly (one correctly rounded operation) when the
// decimal mantissa fits 2^53 and the power of ten is within 22, else approximately. A number whose
// magnitude overflows a double is rejected. C++ code cannot build a Json from a double (no caller
// needs one; the constructor is deleted).
//
// Every text is parsed by `parse_json()`, every text produced by `dump_json()` and every member
// read through `field<T>()` / `optional_field<T>()`, which check presence and type before reading.
// The `Source` says whose fault a bad field is:
//   Source::Peer    a server answer   → Protocol error CLIENT.BAD_RESPONSE
//   Source::Caller  our caller's args → Caller error CLIENT.INVALID_ARGUMENT with a field error
// (code that reports its own error, such as the channel's SECURE_CHANNEL.MALFORMED, only tests ok()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace portal {

class Json {
 public:
  enum class Type : std::uint8_t { Null, Boolean, Integer, Real, String, Array, Object, Discarded };
  using Member = std::pair<std::string, Json>;
  using Array = std::vector<Json>;
  using Object = std::vector<Member>;  // sorted by key (byte order), keys unique
  static constexpr int kMaxDepth = 64;  // deepest nesting parse() accepts ([] is depth 1)

  template <bool Const>
  class Iter;
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;
  struct Init;  // one element of a braced initialiser (moves its value, as nlohmann's json_ref)

  // ---- construction ---------------------------------------------------------------------------
  constexpr Json() noexcept : type_(Type::Null), integer_(0) {}
  constexpr Json(std::nullptr_t) noexcept : Json() {}  // NOLINT: implicit like nlohmann's
  constexpr Json(bool value) noexcept : type_(Type::Boolean), boolean_(value) {}  // NOLINT
  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Json(T value) noexcept : type_(Type::Integer), integer_(0) {  // NOLINT
    if constexpr (std::is_signed_v<T>) integer_ = value;
    else set_unsigned(value);
  }
  template <typename T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Json(T) = delete;  // see the header comment
  template <typename T, std::enable_if_t<std::is_enum_v<T>, int> = 0>
  Json(T) = delete;  // would silently become a bool: write to_string(value)
  Json(const char* text) : type_(Type::String), string_(text ? text : "") {}  // NOLINT
  Json(std::string_view text) : type_(Type::String), string_(text) {}         // NOLINT
  Json(const std::string& text) : type_(Type::String), string_(text) {}       // NOLINT
  Json(std::string&& text) noexcept : type_(Type::String), string_(std::move(text)) {}  // NOLINT
  template <typename T>
  Json(const std::vector<T>& items) : type_(Type::Array), array_() {  // NOLINT
    array_.reserve(items.size());
    for (const T& item : items) array_.emplace_back(item);
  }
  // Object when every element is a two-element array whose first element is a string (the first
  // of equal keys wins), else array.
  Json(std::initializer_list<Init> init);

  static Json object() { return Json(Type::Object); }
  static Json array() { return Json(Type::Array); }
  static Json array(std::initializer_list<Init> init);
  // Same as parse_json().
  static Json parse(std::string_view text);

  Json(const Json& other);
  Json(Json&& other) noexcept;
  Json& operator=(const Json& other);
  Json& operator=(Json&& other) noexcept;
  ~Json() { destroy(); }

  // ---- type -----------------------------------------------------------------------------------
  Type type() const noexcept { return type_; }
  bool is_null() const noexcept { return type_ == Type::Null; }
  bool is_boolean() const noexcept { return type_ == Type::Boolean; }
  bool is_number() const noexcept { return type_ == Type::Integer || type_ == Type::Real; }
  bool is_number_integer() const noexcept { return type_ == Type::Integer; }
  bool is_number_unsigned() const noexcept { return type_ == Type::Integer && integer_ >= 0; }
  bool is_number_float() const noexcept { return type_ == Type::Real; }
  bool is_string() const noexcept { return type_ == Type::String; }
  bool is_array() const noexcept { return type_ == Type::Array; }
  bool is_object() const noexcept { return type_ == Type::Object; }
  bool is_discarded() const noexcept { return type_ == Type::Discarded; }

  // ---- reading --------------------------------------------------------------------------------
  // The value as T, or T's default when the type differs (never undefined): std::string (a
  // string), bool, any integer type (an integer, cast as nlohmann does), double (any number), Json.
  template <typename T>
  T get() const {
    if constexpr (std::is_same_v<T, Json>) return *this;
    else if constexpr (std::is_same_v<T, std::string>) return type_ == Type::String ? string_ : std::string();
    else if constexpr (std::is_same_v<T, bool>) return type_ == Type::Boolean && boolean_;
    else if constexpr (std::is_same_v<T, double>) return to_double();
    else if constexpr (std::is_integral_v<T>) return type_ == Type::Integer ? static_cast<T>(integer_) : T();
    else static_assert(sizeof(T) == 0, "Json::get: unsupported type");
  }
  // True when get<T>() reads this value rather than giving a default.
  template <typename T>
  bool holds() const noexcept {
    if constexpr (std::is_same_v<T, Json>) return true;
    else if constexpr (std::is_same_v<T, std::string>) return is_string();
    else if constexpr (std::is_same_v<T, bool>) return is_boolean();
    else if constexpr (std::is_same_v<T, double>) return is_number();
    else if constexpr (std::is_unsigned_v<T>) return is_number_unsigned();
    else if constexpr (std::is_integral_v<T>) return is_number_integer();
    else static_assert(sizeof(T) == 0, "Json::holds: unsupported type");
  }
  // The string of a string value (an empty one otherwise), without a copy.
  const std::string& string_ref() const noexcept;

  // Member `key`: a null when this is no object or has no such key.
  const Json& operator[](std::string_view key) const noexcept;
  const Json& at(std::string_view key) const noexcept { return (*this)[key]; }
  // Element `index`: a null when this is no array or the index is out of range.
  const Json& operator[](std::size_t index) const noexcept;
  const Json& at(std::size_t index) const noexcept { return (*this)[index]; }
  bool contains(std::string_view key) const noexcept { return find_member(key) != nullptr; }
  // Member `key` as T (see get), or `fallback` when it is missing or of another type. A string
  // literal fallback gives a std::string.
  template <typename T>
  auto value(std::string_view key, const T& fallback) const {
    using R = std::conditional_t<std::is_same_v<T, Json>, Json,
                                 std::conditional_t<std::is_convertible_v<const T&, std::string_view>, std::string, T>>;
    const Json* member = find_member(key);
    if (!member || !member->holds<R>()) return R(fallback);
    return member->get<R>();
  }

  // Elements of an array, members of an object, 0 for null, 1 for any other value (as nlohmann).
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }

  // Iteration visits an array's elements or an object's values in key order (`it.key()` gives
  // the key); other values have no elements. find() gives end() when there is no such member.
  iterator begin() noexcept;
  iterator end() noexcept;
  const_iterator begin() const noexcept;
  const_iterator end() const noexcept;
  iterator find(std::string_view key) noexcept;
  const_iterator find(std::string_view key) const noexcept;
  // `for (const auto& item : obj.items())`: item.key(), item.value().
  template <bool Const>
  class Items;
  Items<false> items() noexcept;
  Items<true> items() const noexcept;

  // ---- writing --------------------------------------------------------------------------------
  // Member `key`, inserted as null when missing; a null becomes an empty object first. On any
  // other type it is a programming error (asserted in debug builds); the write goes nowhere.
  Json& operator[](std::string_view key);
  Json& at(std::string_view key);
  // Element `index`; a null becomes an empty array and an array grows with nulls to reach it.
  // On any other type, as above.
  Json& operator[](std::size_t index);
  Json& at(std::size_t index);
  // Appends to an array (a null becomes one first).
  void push_back(Json value);
  // Inserts `key` unless present; gives the member and whether it was inserted. A null becomes
  // an empty object first.
  std::pair<iterator, bool> emplace(std::string_view key, Json value);
  // Removes member `key`; gives how many were removed (0 or 1).
  std::size_t erase(std::string_view key);
  void clear() noexcept;

  // ---- text -----------------------------------------------------------------------------------
  // Compact text; see the header comment. A discarded value gives "<discarded>" (as nlohmann).
  std::string dump() const;
  void dump_to(std::string& out) const;

  friend bool operator==(const Json& a, const Json& b) noexcept;
  friend bool operator!=(const Json& a, const Json& b) noexcept { return !(a == b); }

 private:
  friend struct JsonParser;
  friend struct JsonWriter;

  explicit Json(Type type) noexcept;
  void set_unsigned(std::uint64_t value);
  void destroy() noexcept;
  void take(Json& other) noexcept;  // move-constructs from other (this holds nothing); other becomes null
  double to_double() const noexcept;
  const Json* find_member(std::string_view key) const noexcept;
  Json& misuse(const char* what);  // a write to a value of the wrong type

  Type type_;
  union {
    bool boolean_;
    std::int64_t integer_;
    std::string string_;  // String; Real: its text (as parsed, or the digits of a large unsigned)
    Array array_;
    Object object_;
  };
};

struct Json::Init {
  Init() = default;
  template <typename T, std::enable_if_t<!std::is_same_v<std::decay_t<T>, Init> &&
                                             std::is_constructible_v<Json, T&&>, int> = 0>
  Init(T&& v) : value(std::forward<T>(v)) {}  // NOLINT: implicit by design
  Init(std::initializer_list<Init> init) : value(init) {}
  mutable Json value;
};

template <bool Const>
class Json::Iter {
  using J = std::conditional_t<Const, const Json, Json>;
  using M = std::conditional_t<Const, const Member, Member>;

 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Json;
  using difference_type = std::ptrdiff_t;
  using pointer = J*;
  using reference = J&;

  Iter() = default;
  Iter(J* element) noexcept : element_(element) {}
  Iter(M* member) noexcept : member_(member), object_(true) {}
  template <bool C = Const, std::enable_if_t<C, int> = 0>
  Iter(const Iter<false>& other) noexcept  // NOLINT: iterator → const_iterator
      : element_(other.element_), member_(other.member_), object_(other.object_) {}

  J& operator*() const noexcept { return object_ ? member_->second : *element_; }
  J* operator->() const noexcept { return &**this; }
  J& value() const noexcept { return **this; }
  // The member's key; empty for an array element.
  const std::string& key() const noexcept;
  Iter& operator++() noexcept {
    if (object_) ++member_;
    else ++element_;
    return *this;
  }
  Iter operator++(int) noexcept {
    Iter before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const Iter& a, const Iter& b) noexcept {
    return a.element_ == b.element_ && a.member_ == b.member_;
  }
  friend bool operator!=(const Iter& a, const Iter& b) noexcept { return !(a == b); }

 private:
  friend class Iter<true>;
  J* element_ = nullptr;
  M* member_ = nullptr;
  bool object_ = false;
};

template <bool Const>
class Json::Items {
 public:
  // Dereferences to the Json iterator itself, which has key() and value().
  class iterator {
   public:
    explicit iterator(Iter<Const> it) noexcept : it_(it) {}
    const Iter<Const>& operator*() const noexcept { return it_; }
    iterator& operator++() noexcept {
      ++it_;
      return *this;
    }
    bool operator!=(const iterator& other) const noexcept { return it_ != other.it_; }
    bool operator==(const iterator& other) const noexcept { return it_ == other.it_; }

   private:
    Iter<Const> it_;
  };
  Items(Iter<Const> first, Iter<Const> last) noexcept : first_(first), last_(last) {}
  iterator begin() const noexcept { return iterator(first_); }
  iterator end() const noexcept { return iterator(last_); }

 private:
  Iter<Const> first_, last_;
};

namespace detail {
const std::string& empty_string() noexcept;
}

template <bool Const>
const std::string& Json::Iter<Const>::key() const noexcept {
  return object_ ? member_->first : detail::empty_string();
}

inline Json::iterator Json::begin() noexcept {
  if (type_ == Type::Array) return iterator(array_.data());
  if (type_ == Type::Object) return iterator(object_.data());
  return iterator();
}
inline Json::iterator Json::end() noexcept {
  if (type_ == Type::Array) return iterator(array_.data() + array_.size());
  if (type_ == Type::Object) return iterator(object_.data() + object_.size());
  return iterator();
}
inline Json::const_iterator Json::begin() const noexcept { return const_cast<Json*>(this)->begin(); }
inline Json::const_iterator Json::end() const noexcept { return const_cast<Json*>(this)->end(); }
inline Json::Items<false> Json::items() noexcept { return Items<false>(begin(), end()); }
inline Json::Items<true> Json::items() const noexcept { return Items<true>(begin(), end()); }

enum class Source { Peer, Caller };

// Parses without throwing; a syntax error gives a discarded value, for which is_object(),
// is_array() … are all false (check `is_discarded()` when any JSON value is acceptable).
Json parse_json(std::string_view text);

// Serialises without throwing: invalid UTF-8 in a string is replaced, never an exception.
inline std::string dump_json(const Json& value) { return value.dump(); }

// The error for a bad field `name` (a path such as "data.expiresIn"); `code` is the field-error
// code a Caller error carries (FIELD_REQUIRED, FIELD_TYPE, FIELD_INVALID, … as in docs/api.md §5).
Error field_error(Source source, std::string_view name, std::string_view code, std::string_view problem);

namespace detail {
// The checks field() and optional_field() share, once for every T: the member `key` of `obj`, or
// nullptr when it is missing or null; an error when `obj` is not an object or `holds` refuses it.
Result<const Json*> member(const Json& obj, std::string_view key, Source source, bool (*holds)(const Json&));
template <typename T>
bool holds(const Json& value) {
  return value.template holds<T>();
}
}  // namespace detail

// `obj[key]` as T. Fails when `obj` is not an object, the key is missing or null, or the type
// differs. T is one of:
//   std::string     a JSON string
//   bool            true / false
//   std::int64_t    any JSON integer (not 1.0)
//   std::uint64_t   a non-negative JSON integer (not 1.0, not -1)
//   double          any JSON number
//   Json            any non-null value
template <typename T>
Result<T> field(const Json& obj, std::string_view key, Source source = Source::Peer) {
  static_assert(std::is_same_v<T, std::string> || std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> ||
                    std::is_same_v<T, std::uint64_t> || std::is_same_v<T, double> || std::is_same_v<T, Json>,
                "field: unsupported type");
  auto found = detail::member(obj, key, source, &detail::holds<T>);
  if (!found.ok()) return std::move(found).error();
  if (!found.value()) return field_error(source, key, "FIELD_REQUIRED", "is required");
  return found.value()->template get<T>();
}

// Like field(), but a missing key or JSON null gives std::nullopt instead of an error.
template <typename T>
Result<std::optional<T>> optional_field(const Json& obj, std::string_view key, Source source = Source::Peer) {
  auto found = detail::member(obj, key, source, &detail::holds<T>);
  if (!found.ok()) return std::move(found).error();
  if (!found.value()) return std::optional<T>{};
  return std::optional<T>{found.value()->template get<T>()};
}

}  // namespace portal
