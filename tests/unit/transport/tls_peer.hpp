// Test helper: a TLS client written with the OpenSSL C API over a plain loopback socket, with
// bounded waits: the far end of a worker's TLS listener in the socket tests.
//
//   TlsPeer peer(server, trusting(pki.ca_cert));     // connects, handshakes, checks the cert
//   ASSERT_TRUE(peer.handshaken) << peer.failure;
//   peer.send(request);
//   peer.read_until("\r\n\r\n");                       // peer.buffer holds what came back
#pragma once

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

#include "socket_peer.hpp"

namespace trapezoid::transport::testing {

struct TlsPeerOptions {
  std::string ca_file;       // trusted CAs; empty: no verification of the server
  std::string verify_name;   // the host name the server's certificate must carry; empty: the address
  std::string sni;           // server_name extension to send; empty: none
  std::string cert_file;     // a client certificate (mutual TLS), with its key
  std::string key_file;
};

// Options that verify the server against `ca_file` and, when given, a host name (also sent as
// SNI when `sni` is set).
inline TlsPeerOptions trusting(std::string ca_file, std::string verify_name = {}, bool sni = false) {
  TlsPeerOptions o;
  o.ca_file = std::move(ca_file);
  o.verify_name = std::move(verify_name);
  if (sni) o.sni = o.verify_name;
  return o;
}

class TlsPeer {
 public:
  TlsPeer(const Endpoint& to, const TlsPeerOptions& options) {
    fd_ = ::socket(to.address.is_v6() ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    timeval tv{3, 0};  // the handshake blocks, but not for ever
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_storage ss;
    socklen_t len = to_sockaddr(to, ss);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
      failure = "connect failed";
      return;
    }
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
    if (!options.ca_file.empty()) {
      if (SSL_CTX_load_verify_locations(ctx_, options.ca_file.c_str(), nullptr) != 1) {
        failure = "cannot load the CA";
        return;
      }
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    }
    if (!options.cert_file.empty() &&
        (SSL_CTX_use_certificate_chain_file(ctx_, options.cert_file.c_str()) != 1 ||
         SSL_CTX_use_PrivateKey_file(ctx_, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1)) {
      failure = "cannot load the client certificate";
      return;
    }
    ssl_ = SSL_new(ctx_);
    if (!options.sni.empty()) SSL_set_tlsext_host_name(ssl_, options.sni.c_str());
    if (!options.ca_file.empty()) {
      if (options.verify_name.empty()) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), to.address.to_string().c_str());
      } else {
        SSL_set1_host(ssl_, options.verify_name.c_str());
      }
    }
    SSL_set_fd(ssl_, fd_);
    if (SSL_connect(ssl_) != 1) {
      failure = "handshake failed: " + openssl_errors();
      return;
    }
    handshaken = true;
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);  // reads and writes wait in poll()
  }
  ~TlsPeer() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }
  TlsPeer(const TlsPeer&) = delete;
  TlsPeer& operator=(const TlsPeer&) = delete;

  std::uint16_t port() const { return local_port(fd_); }

  // One TLS write (one or more records) of all of `bytes`.
  bool send(std::string_view bytes, std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (handshaken && !bytes.empty()) {
      const int n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
      if (n > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (!wait(SSL_get_error(ssl_, n), deadline)) return false;
    }
    return handshaken;
  }

  // Reads until `buffer` holds `text` or the deadline passes; returns whether it did.
  bool read_until(std::string_view text, std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (buffer.find(text) == std::string::npos) {
      if (read_some(deadline) <= 0) return false;
    }
    return true;
  }

  // Whether the server closes (or fails the TLS session) within the timeout.
  bool wait_closed(std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const int n = read_some(deadline);
      if (n < 0) return true;
      if (n == 0) return false;
    }
  }

  // How many times `text` occurs in what was read.
  std::size_t count(std::string_view text) const {
    std::size_t n = 0;
    for (auto p = buffer.find(text); p != std::string::npos; p = buffer.find(text, p + 1)) ++n;
    return n;
  }

  bool handshaken = false;
  std::string failure;  // why the connection or handshake failed
  std::string buffer;

 private:
  static std::string openssl_errors() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
      char text[256];
      ERR_error_string_n(e, text, sizeof text);
      if (!out.empty()) out += "; ";
      out += text;
    }
    return out.empty() ? "no OpenSSL error (the peer closed?)" : out;
  }

  // Waits for the socket as `ssl_error` asks; false when the session is over or time is up.
  bool wait(int ssl_error, std::chrono::steady_clock::time_point deadline) {
    short events = 0;
    if (ssl_error == SSL_ERROR_WANT_READ) events = POLLIN;
    if (ssl_error == SSL_ERROR_WANT_WRITE) events = POLLOUT;
    if (events == 0) return false;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, events, 0};
    return ::poll(&p, 1, static_cast<int>(left.count())) == 1;
  }

  // > 0: bytes appended; 0: time is up; < 0: the session ended (close, reset, TLS alert).
  int read_some(std::chrono::steady_clock::time_point deadline) {
    if (!handshaken) return -1;
    for (;;) {
      char chunk[4096];
      const int n = SSL_read(ssl_, chunk, sizeof chunk);
      if (n > 0) {
        buffer.append(chunk, static_cast<std::size_t>(n));
        return n;
      }
      const int e = SSL_get_error(ssl_, n);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        ERR_clear_error();
        return -1;
      }
      if (!wait(e, deadline)) return std::chrono::steady_clock::now() >= deadline ? 0 : -1;
    }
  }

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace trapezoid::transport::testing
