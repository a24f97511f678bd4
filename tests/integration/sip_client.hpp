// The client side of the integration tests: requests written out as bytes, and reading the
// responses that come back on plain loopback sockets (socket_peer.hpp) with bounded waits.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "socket_peer.hpp"

namespace trapezoid::integration {

using namespace std::chrono_literals;
using transport::testing::TcpPeer;
using transport::testing::UdpPeer;

struct RequestSpec {
  std::string method = "OPTIONS";
  std::string user = "bob";            // Request-URI user: "ring" makes an INVITE wait
  std::string transport = "UDP";       // the Via transport
  std::uint16_t port = 0;              // the Via sent-by port: the client's own
  std::string branch = "z9hG4bKint1";
  std::string call_id = "int1@127.0.0.1";
  std::uint32_t cseq = 1;
  std::string cseq_method;             // defaults to method
  std::string to = "<sip:bob@127.0.0.1>";  // with its tag for an ACK
};

inline std::string request_text(const RequestSpec& s) {
  const std::string cseq_method = s.cseq_method.empty() ? s.method : s.cseq_method;
  return s.method + " sip:" + s.user + "@127.0.0.1 SIP/2.0\r\n"
         "Via: SIP/2.0/" + s.transport + " 127.0.0.1:" + std::to_string(s.port) + ";branch=" + s.branch +
         ";rport\r\n"
         "Max-Forwards: 70\r\n"
         "To: " + s.to + "\r\n"
         "From: <sip:alice@127.0.0.1>;tag=cli1\r\n"
         "Call-ID: " + s.call_id + "\r\n"
         "CSeq: " + std::to_string(s.cseq) + " " + cseq_method + "\r\n"
         "Content-Length: 0\r\n\r\n";
}

// The status of a response's start line, or 0.
inline int status_of(std::string_view response) {
  if (!response.starts_with("SIP/2.0 ") || response.size() < 11) return 0;
  return std::stoi(std::string(response.substr(8, 3)));
}

// The value of the To header field of `response` ("<sip:bob@127.0.0.1>;tag=srv1").
inline std::string to_of(std::string_view response) {
  const std::size_t start = response.find("\r\nTo: ");
  if (start == std::string_view::npos) return {};
  const std::size_t end = response.find("\r\n", start + 6);
  return std::string(response.substr(start + 6, end - start - 6));
}

// The CSeq method of a response ("INVITE", "CANCEL").
inline std::string cseq_method_of(std::string_view response) {
  const std::size_t start = response.find("\r\nCSeq: ");
  if (start == std::string_view::npos) return {};
  const std::size_t end = response.find("\r\n", start + 8);
  const std::string_view value = response.substr(start + 8, end - start - 8);
  return std::string(value.substr(value.find(' ') + 1));
}

// Reads datagrams until one with `status` arrives (others are skipped) or `timeout` passes.
inline std::optional<std::string> await_status(UdpPeer& peer, int status,
                                               std::chrono::milliseconds timeout = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    std::optional<std::string> got = peer.receive(left);
    if (!got) return std::nullopt;
    if (status_of(*got) == status) return got;
  }
}

}  // namespace trapezoid::integration
