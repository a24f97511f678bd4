// Private: one stream connection over any Asio stream (a TCP socket now; an ssl::stream later,
// after its handshake): reads, framing (RFC 3261 §18.3), keep-alive pongs (RFC 5626 §3.5.1),
// an ordered write queue and the idle timeout.
//
// Lifetime: owned by shared_ptr; the connection table holds one reference and every pending
// operation another, so the object lives until close() and its last handler have run.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "transport/asio_endpoint.hpp"
#include "transport/connection.hpp"
#include "transport/stream_framer.hpp"

namespace trapezoid::transport::detail {

struct StreamSettings {
  sip::ParserLimits limits;
  std::size_t max_buffer = 0;
  std::chrono::milliseconds first_message_timeout{10'000};
  std::chrono::milliseconds idle_timeout{300'000};
  std::chrono::milliseconds connect_timeout{5'000};
  std::size_t max_queued_bytes = 8 * 1024 * 1024;
};

template <class Stream>
class StreamConnection final : public Connection, public std::enable_shared_from_this<StreamConnection<Stream>> {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kReadSize = 16 * 1024;
  static constexpr std::chrono::seconds kLinger{2};

  StreamConnection(Stream stream, const Source& source, const StreamSettings& settings,
                   InboundProcessor& processor, InboundSink& sink, ConnectionOwner& owner)
      : stream_(std::move(stream)),
        timer_(stream_.get_executor()),
        framer_(settings.limits, settings.max_buffer),
        source_(source),
        settings_(settings),
        processor_(processor),
        sink_(sink),
        owner_(owner) {}

  // An accepted connection: start reading.
  void start() {
    connected_ = true;
    boost::system::error_code ec;
    const auto local = stream_.lowest_layer().local_endpoint(ec);
    if (!ec) source_.local = Endpoint{source_.remote.transport, from_asio(local.address()), local.port()};
    touch();
    started_ = last_activity_;
    arm_timer();
    read();
    write_next();
  }

  // An outgoing connection: connect, then start; sends queue until then.
  template <class AsioEndpoint>
  void connect(const AsioEndpoint& to) {
    got_message_ = true;  // opened to carry a message: the idle timeout applies, not the first-message one
    auto self = this->shared_from_this();
    timer_.expires_after(settings_.connect_timeout);
    timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec && !self->connected_) self->fail(std::make_error_code(std::errc::timed_out));
    });
    stream_.lowest_layer().async_connect(to, [self](boost::system::error_code ec) {
      if (self->closed_) return;
      if (ec) return self->fail(ec);
      self->timer_.cancel();
      self->start();
    });
  }

  void send(std::string bytes) override {
    const Target to{source_.remote, source_.connection};
    if (closed_ || lingering_) return sink_.send_failed(to, std::make_error_code(std::errc::not_connected));
    // A peer that reads slower than we write: give up on it rather than buffer without end.
    if (queued_bytes_ + bytes.size() > settings_.max_queued_bytes) {
      sink_.send_failed(to, std::make_error_code(std::errc::no_buffer_space));
      return fail(std::make_error_code(std::errc::no_buffer_space));
    }
    queued_bytes_ += bytes.size();
    queue_.push_back(std::move(bytes));
    if (connected_ && !writing_) write_next();
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
  // Reports every queued message as failed, then closes (RFC 3261 §18.4: the caller learns).
  void fail(std::error_code ec) {
    if (closed_) return;
    const Target to{source_.remote, source_.connection};
    const std::size_t lost = queue_.size();
    close();
    for (std::size_t i = 0; i < lost; ++i) sink_.send_failed(to, ec);
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
        self->sink_.logger().log(LogLevel::kInfo, "closing idle connection " + to_string(self->source_));
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
    boost::asio::async_write(stream_, boost::asio::buffer(queue_.front()),
                             [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                               self->writing_ = false;
                               if (self->closed_) return;
                               if (ec) return self->fail(ec);
                               self->queued_bytes_ -= self->queue_.front().size();
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
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  Clock::time_point last_activity_{};
  Clock::time_point started_{};
  bool connected_ = false;
  bool writing_ = false;
  bool closing_ = false;  // close once the queue is written
  bool closed_ = false;
  bool lingering_ = false;
  bool got_message_ = false;
};

}  // namespace trapezoid::transport::detail
