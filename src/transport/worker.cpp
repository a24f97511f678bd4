#include "transport/worker.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>

#include "sip/random_id.hpp"
#include "transport/inbound.hpp"
#include "transport/send_batch.hpp"
#include "transport/size_rule.hpp"
#include "transport/stream_directory.hpp"
#include "transport/tcp_transport.hpp"
#include "transport/tls_policy.hpp"
#include "transport/udp_only_peers.hpp"
#include "transport/udp_socket.hpp"
#include "transport/via_transport.hpp"

namespace trapezoid::transport {

namespace {

detail::StreamSettings stream_settings(const WorkerConfig& c) {
  detail::StreamSettings s;
  s.limits = c.limits;
  s.max_buffer = c.max_stream_buffer != 0 ? c.max_stream_buffer
                                          : c.limits.max_header_bytes + c.limits.max_body_bytes + 4;
  s.first_message_timeout = c.first_message_timeout;
  s.idle_timeout = c.idle_timeout;
  s.connect_timeout = c.connect_timeout;
  s.max_queued_bytes = c.max_queued_bytes;
  return s;
}

}  // namespace

struct TransportWorker::Impl final : detail::InboundSink {
  Impl(WorkerConfig c, MessageHandler& h, Logger& l)
      : config(std::move(c)),
        settings(stream_settings(config)),
        handler(h),
        log_sink(l),
        processor(config.limits, random),
        tcp(io, settings, config.max_connections, processor, *this) {
    processor.set_sent_by(config.sent_by);
  }

  ~Impl() override {
    // Close every socket, then let the aborted operations finish while their objects live.
    closing = true;
    wake_fn = nullptr;
    wake_timer.cancel();
    for (auto& u : udp) u->close();
    tcp.close_all();
    io.restart();
    io.poll();
  }

  std::error_code open_address(const IpAddress& address) {
    if (std::error_code ec = open_udp_tcp(address)) return ec;
    // RFC 3261 §18.1.1: TLS listens on a port of its own (5061).
    if (!config.tls.enabled) return {};
    return tcp.listen(address, config.tls.port, config.reuse_port && config.tls.port != 0, TransportKind::kTls);
  }

  // RFC 3261 §18.2.1: TCP listens on the port and address where UDP does. With an ephemeral
  // port the one UDP got may be taken for TCP: try a few.
  std::error_code open_udp_tcp(const IpAddress& address) {
    // An ephemeral port is this worker's alone: sharing it could join a stranger's socket.
    const bool reuse = config.reuse_port && config.port != 0;
    std::error_code ec;
    for (int attempt = 0; attempt < 8; ++attempt) {
      std::uint16_t port = config.port;
      std::unique_ptr<detail::UdpSocket> u;
      if (config.udp) {
        u = std::make_unique<detail::UdpSocket>(io, processor, *this, config.udp_batch);
        if ((ec = u->open(address, port, reuse, config.steer_branch_letter))) return ec;
        port = u->local().port;
      }
      if (config.tcp) ec = tcp.listen(address, port, reuse, TransportKind::kTcp);
      if (!ec) {
        if (u) udp.push_back(std::move(u));
        return {};
      }
      if (u) u->close();
      if (config.port != 0 || !config.udp || ec != std::errc::address_in_use) return ec;
    }
    return ec;
  }

  void do_send(std::string bytes, const Target& target, std::string_view server_name = {}) {
    if (closing) return;  // the worker is being destroyed: no new work
    if (target.remote.transport != TransportKind::kTls && needs_tls(bytes)) {
      log_sink.log(LogLevel::kWarning, "not sending a sips: request over " + to_string(target) + ": TLS only");
      return handler.on_transport_error(target, make_error_code(TlsErrc::kSipsNeedsTls));
    }
    switch (target.remote.transport) {
      case TransportKind::kUdp:
        if (leaves_udp(bytes, target.remote)) return send_moved_to_tcp(std::move(bytes), target.remote);
        return send_udp(std::move(bytes), target);
      case TransportKind::kTcp:
      case TransportKind::kTls:
        if (tcp.send_open(bytes, target, server_name) || send_elsewhere(bytes, target, server_name)) return;
        return tcp.send_new(std::move(bytes), target, server_name);
    }
  }

  // RFC 3261 §18.1.1, §18.2.2 across workers: the connection the target names, or the one the
  // directory knows to its far end, may live in another worker. The bytes are written there,
  // on the owner's thread; the sender's transaction stays here (a stream needs no
  // retransmissions), and a connection gone meanwhile comes back here as a transport error
  // (§8.1.3.1, §17.1.4). False (and `bytes` untouched) when no other worker has one.
  bool send_elsewhere(std::string& bytes, const Target& target, std::string_view server_name) {
    if (directory == nullptr) return false;
    ConnectionId id = target.connection;
    if (id == 0 || StreamDirectory::owner_of(id) == index) {
      // A TLS server reached by name: only connections this worker verified for that name.
      if (!server_name.empty()) return false;
      const std::optional<ConnectionId> found = directory->find(target.remote);
      if (!found) return false;
      id = *found;
    }
    if (StreamDirectory::owner_of(id) == index) return false;  // ours, and closed meanwhile
    TransportWorker* owner = directory->worker(StreamDirectory::owner_of(id));
    if (owner == nullptr) return false;
    Impl* there = owner->impl_.get();
    boost::asio::post(there->io, [there, here = this, b = std::move(bytes), target, on = Target{target.remote, id},
                                  name = std::string(server_name)]() mutable {
      if (there->closing) return;
      // A write that fails later (reset, the peer not reading) is also the sender's to hear.
      const auto back_to_sender = [here, target](std::error_code ec) {
        boost::asio::post(here->io, [here, target, ec] {
          if (!here->closing) here->handler.on_transport_error(target, ec);
        });
      };
      if (there->tcp.send_open(b, on, name, back_to_sender)) return;
      back_to_sender(std::make_error_code(std::errc::not_connected));
    });
    return true;
  }

  // RFC 3261 §18.1.1: a request over 1300 bytes (the path MTU is unknown) goes over TCP, unless
  // the peer refused TCP a moment ago. Responses never move (§18.2.2 routes them), and a
  // worker without TCP (config.tcp off) has no TCP sent-by to offer: it keeps UDP.
  bool leaves_udp(std::string_view bytes, const Endpoint& to) {
    if (!config.tcp || !needs_congestion_control(bytes.size()) || bytes.starts_with("SIP/")) return false;
    return !udp_only.contains(to, std::chrono::steady_clock::now());
  }

  void send_moved_to_tcp(std::string bytes, const Endpoint& to) {
    std::string moved;
    // §18.1.1: "the value in the top Via MUST be changed"; the branch stays.
    if (!set_top_via_transport(bytes, TransportKind::kTcp, moved)) {
      log_sink.log(LogLevel::kWarning, "a request of " + std::to_string(bytes.size()) + " bytes to " + to_string(to) +
                                           " has no top Via to rewrite: sent over UDP");
      return send_udp(std::move(bytes), Target{to, 0});
    }
    // Across workers: with no connection to that peer here, one another worker holds carries
    // it (a UA registered over TCP is often reachable only that way); only when none is open
    // anywhere is one opened, with the fallback to UDP.
    const Target over_tcp{Endpoint{TransportKind::kTcp, to.address, to.port}, 0};
    if (!tcp.has_open(over_tcp) && send_elsewhere(moved, over_tcp, {})) return;
    tcp.send_moved(std::move(moved), std::move(bytes), to);
  }

  // One datagram from the socket of the target's address family: at once, or at the end of
  // the burst. Failures that depend on the datagram alone are reported at once, even in a
  // burst, so that they are never blamed on the destination.
  void send_udp(std::string bytes, const Target& target) {
    for (auto& u : udp) {
      if (u->local().address.is_v6() != target.remote.address.is_v6()) continue;
      if (bytes.size() > detail::max_datagram(target.remote.address))
        return handler.on_transport_error(target, std::make_error_code(std::errc::message_size));
      if (burst_depth > 0) return u->queue(std::move(bytes), target.remote);
      if (std::error_code ec = u->send_to(bytes, target.remote)) handler.on_transport_error(target, ec);
      return;
    }
    handler.on_transport_error(target, std::make_error_code(std::errc::address_family_not_supported));
  }

  void flush_udp() {
    for (auto& u : udp) {
      if (u->has_queued()) u->flush(failed_sends);
    }
    if (failed_sends.empty()) return;
    // Reported after every socket is flushed: the handler may send again (at once: no burst).
    std::vector<detail::SendFailure> failed;
    failed.swap(failed_sends);
    for (const detail::SendFailure& f : failed) handler.on_transport_error(Target{f.to, 0}, f.error);
  }

  // One pending wake-up: a new one cancels the old, whose handler then sees a stale generation
  // (or operation_aborted) and does nothing.
  void do_wake_at(std::chrono::steady_clock::time_point when, std::function<void()> fn) {
    if (closing) return;
    wake_fn = std::move(fn);
    const std::uint64_t generation = ++wake_generation;
    wake_timer.expires_at(when);
    wake_timer.async_wait([this, generation](const boost::system::error_code& ec) {
      if (ec || generation != wake_generation || !wake_fn) return;
      std::function<void()> due = std::move(wake_fn);
      wake_fn = nullptr;
      const detail::Burst burst(*this);  // the retransmissions of one tick leave together
      due();                             // may call wake_at() again
    });
  }
  void do_cancel_wake() {
    ++wake_generation;
    wake_fn = nullptr;
    wake_timer.cancel();
  }

  // detail::InboundSink
  void deliver(Inbound&& in, const Source& from) override {
    switch (in.action) {
      case Inbound::Action::kPassUp:
        return handler.on_message(std::move(in.message), from);
      case Inbound::Action::kReply:
        log_sink.log(LogLevel::kInfo, "answering " + std::to_string(in.status) + " " + std::string(in.why) + " to " +
                                     to_string(from));
        return do_send(std::move(in.reply), in.reply_to);
      case Inbound::Action::kDrop:
        return log_sink.log(LogLevel::kWarning, "dropped message from " + to_string(from) + ": " + std::string(in.why));
    }
  }
  void send_failed(const Target& to, std::error_code error) override { handler.on_transport_error(to, error); }
  Logger& logger() override { return log_sink; }
  void begin_burst() override { ++burst_depth; }
  void end_burst() override {
    if (--burst_depth == 0 && !closing) flush_udp();
  }
  void retry_over_udp(std::string udp_bytes, const Endpoint& udp_peer, std::error_code why) override {
    if (closing) return;
    log_sink.log(LogLevel::kInfo, "no TCP connection to " + to_string(udp_peer) + " (" + why.message() +
                                      "): the request goes over UDP after all (RFC 3261 18.1.1)");
    udp_only.remember(udp_peer, std::chrono::steady_clock::now());
    send_udp(std::move(udp_bytes), Target{udp_peer, 0});
  }

  WorkerConfig config;
  detail::StreamSettings settings;
  MessageHandler& handler;
  Logger& log_sink;
  sip::SystemRandomSource random;
  InboundProcessor processor;
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{io.get_executor()};
  std::vector<std::unique_ptr<detail::UdpSocket>> udp;
  detail::TcpTransport tcp;
  boost::asio::steady_timer wake_timer{io};
  std::function<void()> wake_fn;
  std::uint64_t wake_generation = 0;
  int burst_depth = 0;                            // > 0: UDP sends are queued (sendmmsg)
  std::vector<detail::SendFailure> failed_sends;  // of the flush under way
  UdpOnlyPeers udp_only;                          // refused TCP for a large request lately
  StreamDirectory* directory = nullptr;           // the server's other workers' connections
  unsigned index = 0;                             // this worker's place in the directory
  bool closing = false;
};

TransportWorker::TransportWorker(WorkerConfig config, MessageHandler& handler, Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(config), handler, logger)) {}

TransportWorker::~TransportWorker() = default;

void TransportWorker::join(StreamDirectory& directory, unsigned index) {
  impl_->directory = &directory;
  impl_->index = index;
  impl_->tcp.join(directory, index);
  directory.attach(index, *this);
}

std::error_code TransportWorker::start() {
  if (impl_->config.tls.enabled) {
    if (std::error_code ec = impl_->tcp.enable_tls(impl_->config.tls)) return ec;
  }
  for (const std::string& text : impl_->config.addresses) {
    std::optional<IpAddress> address = IpAddress::parse(text);
    if (!address) return std::make_error_code(std::errc::invalid_argument);
    if (std::error_code ec = impl_->open_address(*address)) return ec;
  }
  for (auto& u : impl_->udp) u->start();
  impl_->tcp.start();
  return {};
}

void TransportWorker::run() { impl_->io.run(); }

boost::asio::io_context& TransportWorker::io_context() noexcept { return impl_->io; }

void TransportWorker::stop() { impl_->io.stop(); }

void TransportWorker::post(std::function<void()> fn) { boost::asio::post(impl_->io, std::move(fn)); }

void TransportWorker::wake_at(std::chrono::steady_clock::time_point when, std::function<void()> fn) {
  if (impl_->io.get_executor().running_in_this_thread()) return impl_->do_wake_at(when, std::move(fn));
  boost::asio::post(impl_->io, [impl = impl_.get(), when, f = std::move(fn)]() mutable {
    impl->do_wake_at(when, std::move(f));
  });
}

void TransportWorker::cancel_wake() {
  if (impl_->io.get_executor().running_in_this_thread()) return impl_->do_cancel_wake();
  boost::asio::post(impl_->io, [impl = impl_.get()] { impl->do_cancel_wake(); });
}

void TransportWorker::send(std::string bytes, const Target& target) {
  if (impl_->io.get_executor().running_in_this_thread()) return impl_->do_send(std::move(bytes), target);
  boost::asio::post(impl_->io, [impl = impl_.get(), b = std::move(bytes), target]() mutable {
    impl->do_send(std::move(b), target);
  });
}

void TransportWorker::send(std::string bytes, const Target& target, std::string server_name) {
  if (impl_->io.get_executor().running_in_this_thread()) {
    return impl_->do_send(std::move(bytes), target, server_name);
  }
  boost::asio::post(impl_->io,
                    [impl = impl_.get(), b = std::move(bytes), target, name = std::move(server_name)]() mutable {
                      impl->do_send(std::move(b), target, name);
                    });
}

std::vector<Endpoint> TransportWorker::local_endpoints() const {
  std::vector<Endpoint> out;
  for (const auto& u : impl_->udp) out.push_back(u->local());
  for (const Endpoint& e : impl_->tcp.local_endpoints()) out.push_back(e);
  return out;
}

std::size_t TransportWorker::connection_count() const noexcept { return impl_->tcp.count(); }

}  // namespace trapezoid::transport
