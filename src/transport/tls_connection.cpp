#include "transport/tls_connection.hpp"

#include "transport/stream_connection.hpp"
#include "transport/tls_context.hpp"
#include "transport/tls_stream.hpp"

namespace trapezoid::transport::detail {

using TlsConnection = StreamConnection<TlsStream>;

std::shared_ptr<Connection> accept_tls(TlsContext& tls, boost::asio::ip::tcp::socket socket, const Source& source,
                                       const ConnectionServices& services) {
  return std::make_shared<TlsConnection>(TlsStream(std::move(socket), tls.server(), TlsStream::Role::kServer),
                                         source, services);
}

std::shared_ptr<Connection> open_tls(TlsContext& tls, boost::asio::io_context& io, const Source& source,
                                     std::string_view server_name, const ConnectionServices& services,
                                     std::error_code& error) {
  TlsStream stream(boost::asio::ip::tcp::socket(io), tls.client(), TlsStream::Role::kClient);
  if ((error = tls.prepare_client(stream, source.remote.address, server_name))) return nullptr;
  return std::make_shared<TlsConnection>(std::move(stream), source, services);
}

}  // namespace trapezoid::transport::detail
