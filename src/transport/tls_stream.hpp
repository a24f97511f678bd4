// Private: a TLS stream over a TCP socket (RFC 3261 §26.2.1) that knows which end of the
// handshake it plays, for StreamConnection (stream_connection.hpp) to drive.
//
//   TlsStream s(tcp::socket(io), tls.client(), TlsStream::Role::kClient);
//   s.start_handshake([](const boost::system::error_code& ec) { ... });
//   log("handshake failed: " + s.failure_reason(ec));   // "... (certificate has expired)"
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <string>
#include <utility>

namespace trapezoid::transport::detail {

class TlsStream : public boost::asio::ssl::stream<boost::asio::ip::tcp::socket> {
 public:
  enum class Role : unsigned char { kClient, kServer };

  TlsStream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context, Role role)
      : stream(std::move(socket), context), role_(role) {}

  // The handshake in this stream's role; `handler(const boost::system::error_code&)`.
  template <class Handler>
  void start_handshake(Handler&& handler) {
    async_handshake(role_ == Role::kClient ? client : server, std::forward<Handler>(handler));
  }

  // The handshake error `ec` in words, with the certificate check's verdict when that failed.
  [[nodiscard]] std::string failure_reason(const boost::system::error_code& ec);

 private:
  Role role_;
};

}  // namespace trapezoid::transport::detail
