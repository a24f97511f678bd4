// Private: a worker's OpenSSL contexts, loaded from the files its TlsConfig names: one for the
// connections it accepts (the server side), one for those it opens (the client side, which
// presents the same certificate when a server asks for one).
//
//   std::error_code ec;
//   std::unique_ptr<TlsContext> tls = TlsContext::create(config.tls, logger, ec);  // logs the file
//   TlsStream s(tcp::socket(io), tls->client(), TlsStream::Role::kClient);
//   ec = tls->prepare_client(s, address, "sip.example.com");   // SNI, and the name to verify
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string_view>
#include <system_error>

#include "transport/endpoint.hpp"
#include "transport/handler.hpp"
#include "transport/tls_config.hpp"

namespace trapezoid::transport::detail {

class TlsStream;

class TlsContext {
 public:
  // Loads the certificate chain, key and CAs; nullptr with `error` (and a log line naming the
  // file and OpenSSL's reason) when one cannot be loaded or the key is not the certificate's.
  [[nodiscard]] static std::unique_ptr<TlsContext> create(const TlsConfig& config, Logger& logger,
                                                         std::error_code& error);

  [[nodiscard]] boost::asio::ssl::context& server() noexcept { return server_; }
  [[nodiscard]] boost::asio::ssl::context& client() noexcept { return client_; }

  // Before a client handshake to `address`: SNI when `server_name` is a host name, and, when
  // servers are verified, the identity their certificate must carry: `server_name`, or the
  // address when the name is empty.
  [[nodiscard]] std::error_code prepare_client(TlsStream& stream, const IpAddress& address,
                                               std::string_view server_name) const;

 private:
  explicit TlsContext(const TlsConfig& config);

  bool verify_server_;
  boost::asio::ssl::context server_;
  boost::asio::ssl::context client_;
};

}  // namespace trapezoid::transport::detail
