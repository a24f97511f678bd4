// Helpers for the transaction tests: SIP messages built as text, and a TransactionEffects that
// records what a state machine asked for.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message.hpp"
#include "sip/parser.hpp"
#include "transaction/transaction_effects.hpp"

namespace trapezoid::transaction::test {

using namespace std::chrono_literals;

// Parses and owns `text` (CRLF line endings expected).
inline sip::Message parse(std::string_view text) {
  sip::Message m;
  EXPECT_TRUE(sip::parse_datagram(text, m).ok()) << text;
  m.own();
  return m;
}

struct RequestSpec {
  std::string method = "INVITE";
  std::string branch = "z9hG4bK776asdhds";
  std::string sent_by = "pc33.atlanta.com";
  std::string uri = "sip:bob@biloxi.com";
  std::string to_tag;
  std::string from_tag = "1928301774";
  std::string call_id = "a84b4c76e66710@pc33.atlanta.com";
  std::uint32_t cseq = 314159;
  std::string cseq_method;  // defaults to method
  std::string extra;        // more header lines, each ending in \r\n
};

inline std::string request_text(const RequestSpec& s) {
  std::string via = "SIP/2.0/UDP " + s.sent_by + (s.branch.empty() ? "" : ";branch=" + s.branch);
  std::string text = s.method + " " + s.uri + " SIP/2.0\r\n";
  text += "Via: " + via + "\r\n";
  text += "Max-Forwards: 70\r\n";
  text += "To: Bob <sip:bob@biloxi.com>" + (s.to_tag.empty() ? "" : ";tag=" + s.to_tag) + "\r\n";
  text += "From: Alice <sip:alice@atlanta.com>;tag=" + s.from_tag + "\r\n";
  text += "Call-ID: " + s.call_id + "\r\n";
  text += "CSeq: " + std::to_string(s.cseq) + " " + (s.cseq_method.empty() ? s.method : s.cseq_method) + "\r\n";
  text += s.extra;
  text += "Content-Length: 0\r\n\r\n";
  return text;
}

inline sip::Message request(const RequestSpec& s = {}) { return parse(request_text(s)); }

// A response to a request built from `s`: its Via, From, Call-ID and CSeq; To with `to_tag`.
inline std::string response_text(int status, const RequestSpec& s = {}, std::string_view to_tag = "a6c85cf") {
  std::string via = "SIP/2.0/UDP " + s.sent_by + (s.branch.empty() ? "" : ";branch=" + s.branch);
  std::string text = "SIP/2.0 " + std::to_string(status) + " Whatever\r\n";
  text += "Via: " + via + "\r\n";
  text += "To: Bob <sip:bob@biloxi.com>" + (to_tag.empty() ? "" : ";tag=" + std::string(to_tag)) + "\r\n";
  text += "From: Alice <sip:alice@atlanta.com>;tag=" + s.from_tag + "\r\n";
  text += "Call-ID: " + s.call_id + "\r\n";
  text += "CSeq: " + std::to_string(s.cseq) + " " + (s.cseq_method.empty() ? s.method : s.cseq_method) + "\r\n";
  text += "Content-Length: 0\r\n\r\n";
  return text;
}

inline sip::Message response(int status, const RequestSpec& s = {}, std::string_view to_tag = "a6c85cf") {
  return parse(response_text(status, s, to_tag));
}

// Records every effect; fire() delivers the last armed generation of a timer.
class Recorder : public TransactionEffects {
 public:
  struct Armed {
    Duration delay{0};
    std::uint32_t generation = 0;
  };

  bool send(TransactionId, std::string_view bytes) override {
    sent.emplace_back(bytes);
    return !fail_sends;
  }
  void arm_timer(TransactionId, TimerKind kind, Duration delay, std::uint32_t generation) override {
    armed[kind] = Armed{delay, generation};
    arm_log.push_back(kind);
  }
  void pass_response(TransactionId, const sip::Message& r) override { responses.push_back(r.status_code()); }
  void pass_request(TransactionId, const sip::Message& r) override { requests.emplace_back(r.method_name()); }
  void timeout(TransactionId) override { ++timeouts; }
  void transport_error(TransactionId) override { ++transport_errors; }
  void terminated(TransactionId) override { ++terminations; }

  [[nodiscard]] bool is_armed(TimerKind kind) const { return armed.contains(kind); }
  [[nodiscard]] Duration delay(TimerKind kind) const { return armed.at(kind).delay; }

  template <class Tx>
  void fire(Tx& tx, TimerKind kind) {
    ASSERT_TRUE(is_armed(kind)) << to_string(kind);
    tx.on_timer(kind, armed.at(kind).generation);
  }

  std::vector<std::string> sent;
  std::map<TimerKind, Armed> armed;
  std::vector<TimerKind> arm_log;
  std::vector<int> responses;
  std::vector<std::string> requests;
  int timeouts = 0;
  int transport_errors = 0;
  int terminations = 0;
  bool fail_sends = false;
};

}  // namespace trapezoid::transaction::test
