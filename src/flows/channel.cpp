// Secure-channel lifecycle: key cache, lazy session open, renewal, failure fan-out.
#include <algorithm>

#include "flows/client_impl.hpp"
#include "common/error_codes.hpp"

namespace portal {

bool ClientImpl::channel_ready(std::int64_t now) const {
  if (!session_ || !session_->is_open()) return false;
  // Renew ahead of expiry, but never by more than half the session's life (a short-lived
  // session must not count as "always about to expire").
  const std::int64_t life = session_expires_at_ - session_opened_at_;
  const std::int64_t margin = std::min(kChannelRenewMarginMs, std::max<std::int64_t>(life / 2, 0));
  return now < session_expires_at_ - margin;
}

// Absolute instants the server sends (expiresAt of channel keys and sessions, of pre-login
// sessions) are on its clock; a device clock minutes off would otherwise see them expire at once
// (renewing in a loop) or live on past their end. The Date header (whole seconds, so +500 ms on
// average) says how far off this device is.
void ClientImpl::note_server_clock(const Json& headers, std::int64_t now) {
  if (!headers.is_object()) return;
  const auto it = headers.find("date");
  if (it == headers.end() || !it->is_string()) return;
  if (const auto server = api::parse_imf_fixdate(it->get<std::string>())) clock_offset_ms_ = *server + 500 - now;
}

void ClientImpl::ensure_channel(std::int64_t now) {
  if (channel_request_ != 0) return;  // a key fetch or session open is already out
  if (key_ && now < key_->expires_at_ms) {
    begin_channel_session(now);
    return;
  }
  key_.reset();
  send_channel_request(api::Endpoint::ChannelPublicKey, {}, Purpose::KeyFetch, now);
}

void ClientImpl::begin_channel_session(std::int64_t now) {
  auto pending = begin_session(*key_, config_.portal, config_.client_hash, random_);
  if (!pending.ok()) {
    channel_failed(pending.error(), now);
    return;
  }
  pending_session_.emplace(std::move(pending).value());
  send_channel_request(api::Endpoint::ChannelSession, pending_session_->request_body(), Purpose::SessionOpen, now);
}

// The channel's own requests (plain, no token); the answer goes to on_key_answer / on_session_answer.
void ClientImpl::send_channel_request(api::Endpoint endpoint, std::string body, Purpose purpose, std::int64_t now) {
  auto head = api::build_head(endpoint, config_.portal, {}, header_context());
  if (!head.ok()) {
    channel_failed(head.error(), now);
    return;
  }
  channel_request_ = push_request(std::move(head).value(), std::move(body), InFlight{purpose, 0, false}, {});
}

void ClientImpl::on_key_answer(int status, const Json& headers, std::string_view body, std::int64_t now) {
  channel_request_ = 0;
  auto data = api::decode_response(status, headers, body, now);
  if (!data.ok()) {
    channel_failed(data.error(), now);
    return;
  }
  auto key = parse_public_key(dump_json(data.value()), config_.pinned_keys);
  if (!key.ok()) {
    channel_failed(key.error(), now);
    return;
  }
  key_ = std::move(key).value();
  key_->expires_at_ms = to_local(key_->expires_at_ms);
  begin_channel_session(now);
}

void ClientImpl::on_session_answer(int status, const Json& headers, std::string_view body, std::int64_t now) {
  channel_request_ = 0;
  if (!pending_session_) return;
  PendingSession pending = std::move(*pending_session_);
  pending_session_.reset();
  auto data = api::decode_response(status, headers, body, now);
  if (!data.ok()) {
    // Our cached key was retired (KEY_UNKNOWN), or the server no longer holds the key under that
    // id (DECRYPT_FAILED: e.g. it restarted with a new key and reused the id): fetch the key
    // again and retry the open, once.
    const std::string& code = data.error().code;
    if ((code == codes::kSecureChannelKeyUnknown || code == codes::kSecureChannelDecryptFailed) && key_refetches_ == 0) {
      ++key_refetches_;
      key_.reset();
      ensure_channel(now);
      return;
    }
    channel_failed(data.error(), now);
    return;
  }
  auto session = finish_session(std::move(pending), dump_json(data.value()));
  if (!session.ok()) {
    channel_failed(session.error(), now);
    return;
  }
  session_ = std::make_shared<Session>(std::move(session).value());
  session_opened_at_ = now;
  session_expires_at_ = to_local(session_->expires_at_ms());
  key_refetches_ = 0;
  wake(channel_waiters_, now);
}

// A failed key fetch or session open also forgets the cached key, so the next call starts from a
// fresh key instead of failing the same way until the key's expiry.
void ClientImpl::channel_failed(const Error& error, std::int64_t now) {
  key_refetches_ = 0;
  key_.reset();
  pending_session_.reset();
  fail_waiters(channel_waiters_, error, now);
}

// Stops using `which` for new calls. Calls still in flight on it keep their reference and can
// open their answers; the keys are wiped when the last reference goes.
void ClientImpl::drop_session(const std::shared_ptr<Session>& which) {
  if (which && session_ == which) session_.reset();
}

void ClientImpl::close_channel_locally() {
  if (session_) session_->close();
  session_.reset();
}

}  // namespace portal
