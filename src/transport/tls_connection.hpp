// Private: TLS connections for the worker's TCP side (tcp_transport.cpp): StreamConnection
// over a TlsStream, made here so that the SSL templates stay in one translation unit.
//
//   auto in = accept_tls(tls, std::move(socket), source, services);
//   in->start();                                   // handshake as the server, then serve
//   std::error_code ec;
//   auto out = open_tls(tls, io, source, "sip.example.com", services, ec);
//   if (out) { out->send(bytes); out->connect(source.remote); }   // connect, verify, then send
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string_view>
#include <system_error>

#include "transport/connection.hpp"

namespace trapezoid::transport::detail {

class TlsContext;

// An accepted socket on a TLS listener.
[[nodiscard]] std::shared_ptr<Connection> accept_tls(TlsContext& tls, boost::asio::ip::tcp::socket socket,
                                                     const Source& source, const ConnectionServices& services);

// A connection to open to source.remote, its server verified against `server_name` (or the
// address when empty); nullptr with `error` when the name cannot be used.
[[nodiscard]] std::shared_ptr<Connection> open_tls(TlsContext& tls, boost::asio::io_context& io, const Source& source,
                                                   std::string_view server_name,
                                                   const ConnectionServices& services, std::error_code& error);

}  // namespace trapezoid::transport::detail
