// The facade's JSON-in entry (src/facade/text_facade.*) driven by a script of calls and server
// answers. Input: lines. The first picks the config ("off": no secure channel, "{…}": that config
// text, else the channel is required); each further line is one step:
//   s OP ARGS        start(OP, ARGS)                    r STATUS BODY   answer the oldest request
//   h STATUS\tHEADERS\tBODY  the same with headers       e REASON        transport error on it
//   t MS             time passes, handle_timeout        c N             cancel op N
//   p TOKENS         handle_peer_tokens                 o / l           peer signed out / hello
//   L LOCALE         set_locale                         i STATE         import_state
//   x                export, import into a fresh client d               dispose
//   w                wants_peer_session (only when live, with nothing to export)
// After every step the harness drains requests and events. Invariants: every output is valid JSON
// of the documented shape; every op ends at most once and only ops that started end; request ids
// are unique; nothing loops (bounded outputs per step, no timer that stays due after it fired);
// a disposed client answers nothing.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <set>

#include "facade/text_facade.hpp"
#include "fuzz_check.hpp"

using namespace portal;
using nlohmann::json;

namespace {

class CountingRandom final : public RandomSource {
 public:
  bool fill(std::uint8_t* out, std::size_t size) override {
    ++calls_;
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(calls_ * 37 + i * 11 + 1);
    return true;
  }

 private:
  int calls_ = 0;
};

const std::string kHash(64, 'a');
std::string config_text(std::string_view line) {
  if (!line.empty() && line.front() == '{') return std::string(line);
  const bool off = line == "off";
  return R"({"portal":"system","accessCode":"dev-system-code","clientHash":")" + kHash +
         R"(","secureChannel":")" + (off ? "off" : "required") + "\"}";
}

json parsed(const std::string& text) {
  json doc = json::parse(text, nullptr, false);
  FUZZ_CHECK(!doc.is_discarded());
  return doc;
}

void check_error_json(json e) {  // by value: operator[] on a missing key adds a null
  FUZZ_CHECK(e.is_object() && e.contains("kind") && e["kind"].is_string());
  FUZZ_CHECK(e.contains("code") && e["code"].is_string());  // a server's code passes as sent, even ""
  FUZZ_CHECK(e.contains("fieldErrors") && e["fieldErrors"].is_array());
}

// What a failing call of the facade answers: {"error":{…}} and nothing else.
void check_error_answer(json answer) {
  FUZZ_CHECK(answer.is_object() && answer.size() == 1 && answer.contains("error"));
  check_error_json(answer["error"]);
}

struct Driver {
  CountingRandom random;
  TextFacade client{random};
  std::string config;
  bool alive = false;
  double now = 1'790'000'000'000;
  std::deque<double> outstanding;    // request ids not yet answered
  std::set<double> request_ids;
  std::set<double> started, ended;

  // Drains, then fires timers that are due as a driver would: a due timer must go away after
  // handle_timeout (else a driver re-arming setTimeout(0) would spin).
  void drain() {
    drain_outputs();
    for (int round = 0; alive; ++round) {
      const double at = client.poll_timeout();
      if (at == -1 || at > now) break;
      FUZZ_CHECK(round < 4);
      client.handle_timeout(now);
      drain_outputs();
    }
  }

  void drain_outputs() {
    if (!alive) {
      FUZZ_CHECK(client.poll_request().empty() && client.poll_event().empty() && client.poll_timeout() == -1);
      return;
    }
    for (int round = 0;; ++round) {
      FUZZ_CHECK(round < 200);
      const std::string head = client.poll_request();
      if (head.empty()) break;
      json r = parsed(head);
      FUZZ_CHECK(r.is_object() && r["id"].is_number() && r["method"].is_string() && r["path"].is_string());
      FUZZ_CHECK(r["path"].get<std::string>().rfind("/web/v1/", 0) == 0);
      const double id = r["id"].get<double>();
      FUZZ_CHECK(request_ids.insert(id).second);
      const std::string body = client.take_request_body();
      FUZZ_CHECK(client.take_request_body().empty());
      if (!body.empty()) FUZZ_CHECK(!parsed(body).is_discarded());
      FUZZ_CHECK(r["exclusive"].is_string());
      if (!r["exclusive"].get<std::string>().empty() && !client.confirm_send(id, now)) continue;
      outstanding.push_back(id);
    }
    for (int round = 0;; ++round) {
      FUZZ_CHECK(round < 500);
      const std::string text = client.poll_event();
      if (text.empty()) break;
      json e = parsed(text);
      FUZZ_CHECK(e.is_object() && e["kind"].is_string() && e["op"].is_number());
      const std::string kind = e["kind"].get<std::string>();
      if (kind == "resolved" || kind == "rejected") {
        const double op = e["op"].get<double>();
        FUZZ_CHECK(started.count(op) == 1);
        FUZZ_CHECK(ended.insert(op).second);  // each op ends exactly once
        if (kind == "rejected") check_error_json(e["payload"]);
      }
    }
  }

  double oldest() {
    if (outstanding.empty()) return 1;  // an id the client never issued: must be ignored
    const double id = outstanding.front();
    outstanding.pop_front();
    return id;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 16) return 0;
  fuzz::Reader in(data, size);
  Driver d;
  d.config = config_text(in.line());
  const std::string init = d.client.init(d.config);
  d.alive = init.empty();
  if (!d.alive) check_error_answer(parsed(init));
  d.drain();

  for (int steps = 0; !in.empty() && steps < 64; ++steps) {
    const std::string_view line = in.line();
    const char cmd = line.empty() ? '\0' : line[0];
    std::string_view arg = line.size() > 2 ? line.substr(2) : std::string_view();
    const auto word = [&arg]() {
      const auto space = arg.find(' ');
      const std::string_view w = arg.substr(0, space);
      arg.remove_prefix(space == std::string_view::npos ? arg.size() : space + 1);
      return w;
    };
    const auto number = [](std::string_view w) {
      long v = 0;
      for (const char c : w.substr(0, 9))
        if (c >= '0' && c <= '9') v = v * 10 + (c - '0');
      return v;
    };
    switch (cmd) {
      case 's': {
        const std::string_view op = word();
        json answer = parsed(d.client.start(op, arg, d.now));
        FUZZ_CHECK(answer.is_object() && answer.size() == 1);
        if (answer.contains("op")) {
          FUZZ_CHECK(d.alive && answer["op"].is_number());
          FUZZ_CHECK(d.started.insert(answer["op"].get<double>()).second);
        } else {
          check_error_json(answer["error"]);
        }
        break;
      }
      case 'r': {
        const int status = static_cast<int>(number(word()));
        d.client.handle_response(d.oldest(), status, "{}", arg, d.now);
        break;
      }
      case 'h': {
        const auto tab1 = arg.find('\t');
        const auto tab2 = tab1 == std::string_view::npos ? tab1 : arg.find('\t', tab1 + 1);
        const int status = static_cast<int>(number(arg.substr(0, tab1)));
        const std::string_view headers = tab1 == std::string_view::npos ? "" : arg.substr(tab1 + 1, tab2 - tab1 - 1);
        const std::string_view body = tab2 == std::string_view::npos ? "" : arg.substr(tab2 + 1);
        d.client.handle_response(d.oldest(), status, headers, body, d.now);
        break;
      }
      case 'e': d.client.handle_transport_error(d.oldest(), arg, d.now); break;
      case 't':
        d.now += static_cast<double>(number(arg));
        d.client.handle_timeout(d.now);
        break;
      case 'c': d.client.cancel(static_cast<double>(number(arg)), d.now); break;
      case 'p': d.client.handle_peer_tokens(arg, d.now); break;
      case 'o': d.client.handle_peer_signed_out(d.now); break;
      case 'l': d.client.handle_peer_hello(d.now); break;
      case 'w':
        // Asking the other tabs for a session: only a live client with nothing of its own to keep.
        if (d.client.wants_peer_session()) FUZZ_CHECK(d.alive && d.client.export_state().empty());
        break;
      case 'L': d.client.set_locale(arg); break;
      case 'i': {
        const std::string answer = d.client.import_state(arg, d.now);
        if (!answer.empty()) check_error_answer(parsed(answer));
        break;
      }
      case 'x': {
        // What one client exports, a fresh one with the same config imports; what that one
        // exports (expired parts dropped) is a fixed point. Nothing to keep exports nothing.
        const std::string state = d.client.export_state();
        if (!d.alive) FUZZ_CHECK(state.empty());
        if (state.empty()) break;
        FUZZ_CHECK(parsed(state).is_object());
        CountingRandom random;
        TextFacade fresh(random), again(random);
        FUZZ_CHECK(fresh.init(d.config).empty() && again.init(d.config).empty());
        FUZZ_CHECK(fresh.import_state(state, d.now).empty());
        const std::string imported = fresh.export_state();
        if (imported.empty()) break;
        FUZZ_CHECK(again.import_state(imported, d.now).empty());
        FUZZ_CHECK(again.export_state() == imported);
        break;
      }
      case 'd':
        d.client.dispose();
        d.alive = false;
        FUZZ_CHECK(d.client.export_state().empty());
        break;
      default: break;
    }
    d.drain();
  }
  d.client.dispose();
  return 0;
}
