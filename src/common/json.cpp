#include "common/json.hpp"
#include "common/error_codes.hpp"

#include <vector>

namespace portal {

namespace {

// A handler of nlohmann's SAX interface that builds nlohmann's DOM through its public API and
// refuses what the rules in json.hpp add: a repeated key in one object (found as the member
// emplace() did not insert), and nesting deeper than kMaxJsonDepth. A refusal stops the parse.
class StrictDomBuilder {
 public:
  explicit StrictDomBuilder(Json& root) : root_(root) {}

  bool null() { return add(nullptr); }
  bool boolean(bool value) { return add(value); }
  bool number_integer(Json::number_integer_t value) { return add(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return add(value); }
  bool number_float(Json::number_float_t value, const std::string&) { return add(value); }
  bool string(std::string& value) { return add(std::move(value)); }
  bool binary(Json::binary_t&) { return false; }  // never produced by JSON text
  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(std::string& name) {
    auto [member, inserted] = open_.back()->emplace(std::move(name), nullptr);
    member_ = &*member;
    return inserted;
  }
  template <typename Exception>
  bool parse_error(std::size_t, const std::string&, const Exception&) {
    return false;
  }

 private:
  // Puts `value` where the text is: the root, the next array element, or the member just keyed.
  Json* place(Json value) {
    if (open_.empty()) return &(root_ = std::move(value));
    Json& container = *open_.back();
    if (container.is_array()) {
      container.push_back(std::move(value));
      return &container.back();
    }
    return &(*member_ = std::move(value));
  }
  bool add(Json value) {
    place(std::move(value));
    return true;
  }
  bool open(Json container) {
    if (open_.size() >= static_cast<std::size_t>(kMaxJsonDepth)) return false;
    open_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  Json& root_;
  std::vector<Json*> open_;  // the containers being filled, innermost last
  Json* member_ = nullptr;   // the member key() made, which the next value fills
};

}  // namespace

Json parse_json(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (text.find('\0') != std::string_view::npos || text.substr(0, kByteOrderMark.size()) == kByteOrderMark)
    return Json(Json::value_t::discarded);
  Json value;
  StrictDomBuilder builder(value);
  if (!Json::sax_parse(text.begin(), text.end(), &builder)) return Json(Json::value_t::discarded);
  return value;
}

std::string dump_json(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

Result<const Json*> detail::member(const Json& obj, std::string_view key, Source source,
                                   bool (*holds)(const Json&) noexcept) {
  if (!obj.is_object()) return field_error(source, key, "FIELD_TYPE", "cannot be read: the enclosing value is not an object");
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return static_cast<const Json*>(nullptr);
  if (!holds(*it)) return field_error(source, key, "FIELD_TYPE", "has the wrong type");
  return &*it;
}

Error field_error(Source source, std::string_view name, std::string_view code, std::string_view problem) {
  const std::string text = "field '" + std::string(name) + "' " + std::string(problem);
  if (source == Source::Caller) {
    Error e = Error::of(codes::kClientInvalidArgument, text);
    e.field_errors.push_back({std::string(name), std::string(code), text});
    return e;
  }
  return Error::of(codes::kClientBadResponse, "server answer: " + text);
}

}  // namespace portal
