// Private: one stream connection over any Asio stream on a TCP socket: a plain socket, or a
// TLS stream (tls_stream.hpp) whose handshake runs before the connection serves. Reads,
// framing (RFC 3261 §18.3), keep-alive pongs (RFC 5626 §3.5.1), an ordered write queue and
// the timeouts are one code path for both.
//
//   auto c = std::make_shared<StreamConnection<tcp::socket>>(std::move(socket), source, services);
//   c->start();                       // accepted; or c->send(bytes); c->connect(to);
//
// Lifetime: owned by shared_ptr; the connection table holds one reference and every pending
// operation another, so the object lives until close() and its last handler have run.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <concepts>
#include <deque>
#include <memory>
#include <string>

#include "transport/asio_endpoint.hpp"
#include "transport/connection.hpp"
#include "transport/size_rule.hpp"
#include "transport/stream_framer.hpp"

namespace trapezoid::transport::detail {

// A stream with a handshake before use (TLS, tls_stream.hpp): start_handshake(handler) in the
// role it was made for, and failure_reason(ec) for the log.
template <class S>
concept HandshakeStream = requires(S& s, const boost::system::error_code& ec) {
  { s.failure_reason(ec) } -> std::convertible_to<std::string>;
};

template <class Stream>
class StreamConnection final : public Connection, public std::enable_shared_from_this<StreamConnection<Stream>> {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kReadSize = 16 * 1024;
  static constexpr std::chrono::seconds kLinger{2};
  static constexpr bool kHandshakes = HandshakeStream<Stream>;

  StreamConnection(Stream stream, const Source& source, const ConnectionServices& services)
      : stream_(std::move(stream)),
        timer_(stream_.get_executor()),
        framer_(services.settings.limits, services.settings.max_buffer),
        source_(source),
        settings_(services.settings),
        processor_(services.processor),
        sink_(services.sink),
        owner_(services.owner) {}

  // An accepted connection. Its first-message timeout runs from here, so a TLS client that
  // never finishes its handshake is dropped like a silent TCP client.
  void start() override {
    note_local_end();
    touch();
    started_ = last_activity_;
    arm_timer();
    if constexpr (kHandshakes) {
      handshaking_ = true;
      stream_.start_handshake([self = this->shared_from_this()](const boost::system::error_code& ec) {
        self->handshaking_ = false;
        if (self->closed_) return;
        if (ec) return self->handshake_failed(ec);
        self->serve();
      });
    } else {
      serve();
    }
  }

  // An outgoing connection: connect (and handshake), then serve; sends queue until then.
  void connect(const Endpoint& to) override {
    got_message_ = true;  // opened to carry a message: the idle timeout applies, not the first-message one
    auto self = this->shared_from_this();
    timer_.expires_after(settings_.connect_timeout);
    timer_.async_wait([self](boost::system::error_code ec) {
      if (ec || self->connected_ || self->closed_) return;
      if (self->handshaking_) {
        self->sink_.logger().log(LogLevel::kWarning, "TLS handshake with " + to_string(self->source_) + " timed out");
      }
      self->fail(std::make_error_code(std::errc::timed_out));
    });
    const boost::asio::ip::tcp::endpoint at(to_asio(to.address), to.port);
    stream_.lowest_layer().async_connect(at, [self](boost::system::error_code ec) {
      if (self->closed_) return;
      if (ec) return self->fail(ec);
      if constexpr (kHandshakes) {
        self->handshaking_ = true;
        self->stream_.start_handshake([self](const boost::system::error_code& hs) {
          self->handshaking_ = false;
          if (self->closed_) return;
          if (hs) return self->handshake_failed(hs);
          self->opened();
        });
      } else {
        self->opened();
      }
    });
  }

  void send(std::string bytes) override { send(std::move(bytes), {}); }
  void send(std::string bytes, FailureHook on_failure) override {
    enqueue(Pending{std::move(bytes), {}, std::move(on_failure)});
  }
  void send_moved(std::string bytes, std::string udp_bytes) override {
    enqueue(Pending{std::move(bytes), std::move(udp_bytes), {}});
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    stream_.lowest_layer().shutdown(Stream::lowest_layer_type::shutdown_both, ignored);
    stream_.lowest_layer().close(ignored);
    timer_.cancel();
    queue_.clear();
    queued_bytes_ = 0;
    owner_.on_closed(source_.connection);
  }

 private:
  // A message waiting to be written.
  struct Pending {
    std::string bytes;
    std::string udp_bytes;  // moved off UDP by the size rule (§18.1.1): the original bytes
    FailureHook on_failure;  // set for another worker's bytes: their failure is its to report
  };

  void report_failure(Pending& p, std::error_code ec) {
    if (p.on_failure) return p.on_failure(ec);
    sink_.send_failed(failure_target(p), ec);
  }

  // Where a failure of `p` is reported: where its sender sent it.
  [[nodiscard]] Target failure_target(const Pending& p) const {
    if (p.udp_bytes.empty()) return Target{source_.remote, source_.connection};
    return Target{Endpoint{TransportKind::kUdp, source_.remote.address, source_.remote.port}, 0};
  }

  void enqueue(Pending p) {
    if (closed_ || lingering_) return report_failure(p, std::make_error_code(std::errc::not_connected));
    // A peer that reads slower than we write: give up on it rather than buffer without end.
    if (queued_bytes_ + p.bytes.size() > settings_.max_queued_bytes) {
      report_failure(p, std::make_error_code(std::errc::no_buffer_space));
      return fail(std::make_error_code(std::errc::no_buffer_space));
    }
    queued_bytes_ += p.bytes.size();
    queue_.push_back(std::move(p));
    if (connected_ && !writing_) write_next();
  }

  void note_local_end() {
    boost::system::error_code ec;
    const auto local = stream_.lowest_layer().local_endpoint(ec);
    if (!ec) source_.local = Endpoint{source_.remote.transport, from_asio(local.address()), local.port()};
  }

  // An outgoing connection is up: from the connect timeout to the idle timeout.
  void opened() {
    timer_.cancel();
    note_local_end();
    touch();
    started_ = last_activity_;
    arm_timer();
    serve();
  }

  // Connected (and, for TLS, the handshake done): read, and write what queued meanwhile.
  void serve() {
    connected_ = true;
    read();
    write_next();
  }

  // RFC 3261 §26.2.2: a certificate that fails validation fails the request; an accepted
  // connection that does not speak TLS (plain text on the TLS port) is dropped. Either way
  // the reason goes to the log.
  void handshake_failed(const boost::system::error_code& ec) {
    if constexpr (kHandshakes) {
      sink_.logger().log(LogLevel::kWarning,
                         "TLS handshake with " + to_string(source_) + " failed: " + stream_.failure_reason(ec));
    }
    fail(ec);
  }

  // Reports every queued message as failed, then closes (RFC 3261 §18.4: the caller learns).
  // A request moved off UDP by the size rule, on a connection that never came up, goes over
  // UDP instead when the error allows it (RFC 3261 §18.1.1).
  void fail(std::error_code ec) {
    if (closed_) return;
    std::deque<Pending> lost = std::move(queue_);
    queue_.clear();
    const bool never_connected = !connected_;
    close();
    const Endpoint udp_peer{TransportKind::kUdp, source_.remote.address, source_.remote.port};
    for (Pending& p : lost) {
      if (never_connected && !p.udp_bytes.empty() && udp_retry_allowed(ec)) {
        sink_.retry_over_udp(std::move(p.udp_bytes), udp_peer, ec);
      } else {
        report_failure(p, ec);
      }
    }
  }

  void touch() { last_activity_ = Clock::now(); }

  // A close after an error answer: stop sending, then read and discard what the peer still
  // sends for a moment, so that unread bytes do not turn the close into a reset that could
  // destroy the answer before the peer reads it.
  void linger() {
    if (closed_ || lingering_) return;
    lingering_ = true;
    boost::system::error_code ignored;
    stream_.lowest_layer().shutdown(Stream::lowest_layer_type::shutdown_send, ignored);
    timer_.expires_after(kLinger);
    timer_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->close();
    });
    discard();
  }

  void discard() {
    auto space = framer_.prepare(kReadSize);  // the framer has failed: its buffer is scratch
    stream_.async_read_some(boost::asio::buffer(space.data(), space.size()),
                            [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                              if (self->closed_) return;
                              if (ec) return self->close();
                              self->discard();
                            });
  }

  // Until its first message a connection has first_message_timeout from its start, however
  // slowly bytes trickle in; after that idle_timeout from the last read or write.
  [[nodiscard]] Clock::time_point deadline() const {
    return got_message_ ? last_activity_ + settings_.idle_timeout : started_ + settings_.first_message_timeout;
  }

  // One timer checks the deadline, re-arming itself while the connection is in use.
  void arm_timer() {
    timer_.expires_at(deadline());
    timer_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
      if (ec || self->closed_ || self->lingering_) return;
      if (Clock::now() >= self->deadline()) {
        self->sink_.logger().log(LogLevel::kInfo, self->handshaking_
                                                      ? "TLS handshake with " + to_string(self->source_) + " timed out"
                                                      : "closing idle connection " + to_string(self->source_));
        return self->close();
      }
      self->arm_timer();
    });
  }

  void read() {
    auto space = framer_.prepare(kReadSize);
    stream_.async_read_some(boost::asio::buffer(space.data(), space.size()),
                            [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              if (self->closed_) return;
                              if (ec == boost::asio::error::eof && !self->queue_.empty()) {
                                self->closing_ = true;  // the peer stopped sending: finish writing, then close
                                return;
                              }
                              if (ec) return self->fail(ec);
                              self->framer_.commit(n);
                              self->touch();
                              if (self->drain()) self->read();
                            });
  }

  // Handles every complete unit in the buffer; false once the stream is unusable.
  bool drain() {
    const Burst burst(sink_);  // the answers to pipelined messages may leave over UDP together
    while (!closed_) {
      sip::Message msg;
      StreamEvent ev = framer_.next(msg);
      switch (ev.kind) {
        case StreamEvent::kNeedMore:
          return true;
        case StreamEvent::kPing:
          send("\r\n");  // RFC 5626 §3.5.1 pong
          break;
        case StreamEvent::kMessage: {
          if (!got_message_) {
            got_message_ = true;
            arm_timer();  // from the first-message timeout to the idle timeout
          }
          Inbound in = processor_.on_parsed(msg, source_, true);
          sink_.deliver(std::move(in), source_);
          break;
        }
        case StreamEvent::kError: {
          // Framing is lost: answer if possible, then close once the answer is written.
          Inbound in = processor_.on_parse_error(ev.bytes, msg, ev.error, source_, true);
          closing_ = true;
          sink_.deliver(std::move(in), source_);
          if (!writing_ && queue_.empty()) linger();
          return false;
        }
      }
    }
    return false;
  }

  void write_next() {
    if (queue_.empty() || closed_) return;
    writing_ = true;
    boost::asio::async_write(stream_, boost::asio::buffer(queue_.front().bytes),
                             [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                               self->writing_ = false;
                               if (self->closed_) return;
                               if (ec) return self->fail(ec);
                               self->queued_bytes_ -= self->queue_.front().bytes.size();
                               self->queue_.pop_front();
                               self->touch();
                               if (!self->queue_.empty()) return self->write_next();
                               if (self->closing_) self->linger();
                             });
  }

  Stream stream_;
  boost::asio::steady_timer timer_;
  StreamFramer framer_;
  Source source_;
  const StreamSettings& settings_;
  InboundProcessor& processor_;
  InboundSink& sink_;
  ConnectionOwner& owner_;
  std::deque<Pending> queue_;
  std::size_t queued_bytes_ = 0;
  Clock::time_point last_activity_{};
  Clock::time_point started_{};
  bool connected_ = false;
  bool writing_ = false;
  bool closing_ = false;  // close once the queue is written
  bool closed_ = false;
  bool lingering_ = false;
  bool got_message_ = false;
  bool handshaking_ = false;  // a TLS handshake is under way
};

}  // namespace trapezoid::transport::detail
