#include "dns/ares_channel.hpp"

#include <ares.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace trapezoid::dns {
namespace {

constexpr int kClassIn = 1;  // RFC 1035 §3.2.4: IN

void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { (void)ares_library_init(ARES_LIB_INIT_ALL); });
}

// "127.0.0.1:5353", "[::1]:53", "192.0.2.1": the form ares_set_servers_ports_csv takes.
std::string servers_csv(const std::vector<std::string>& servers) {
  std::string csv;
  for (const std::string& s : servers) {
    if (!csv.empty()) csv += ',';
    csv += s;
  }
  return csv;
}

}  // namespace

struct AresChannel::Impl {
  // One socket c-ares asked us to watch. Shared with its pending waits, which find it closed
  // when c-ares has let the socket go meanwhile.
  struct Watch {
    Watch(boost::asio::io_context& context, int socket) : descriptor(context, socket), fd(socket) {}
    boost::asio::posix::stream_descriptor descriptor;
    int fd;
    bool want_read = false;
    bool want_write = false;
    bool reading = false;
    bool writing = false;
    bool closed = false;
  };
  struct Pending {
    Impl* owner;
    Callback done;
  };

  explicit Impl(boost::asio::io_context& context) : io(context), timer(context) {}

  ~Impl() {
    destroying = true;
    if (channel != nullptr) ares_destroy(channel);  // pending callbacks see ARES_EDESTRUCTION
    for (auto& [fd, w] : watches) forget(*w);
  }

  static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<Impl*>(data);
    auto it = self->watches.find(fd);
    if (readable == 0 && writable == 0) {
      // c-ares closes the socket itself: give the descriptor back without closing it.
      if (it != self->watches.end()) {
        self->forget(*it->second);
        self->watches.erase(it);
      }
      return;
    }
    if (it == self->watches.end()) it = self->watches.emplace(fd, std::make_shared<Watch>(self->io, fd)).first;
    const std::shared_ptr<Watch> w = it->second;
    w->want_read = readable != 0;
    w->want_write = writable != 0;
    self->arm(w);
  }

  void forget(Watch& w) {
    w.closed = true;
    boost::system::error_code ignored;
    w.descriptor.cancel(ignored);
    (void)w.descriptor.release();
  }

  void arm(const std::shared_ptr<Watch>& w) {
    if (w->closed) return;
    if (w->want_read && !w->reading) {
      w->reading = true;
      w->descriptor.async_wait(boost::asio::posix::descriptor_base::wait_read,
                               [this, w](const boost::system::error_code& ec) {
                                 w->reading = false;
                                 if (ec || w->closed) return;
                                 process(w->fd, ARES_SOCKET_BAD);
                                 arm(w);
                               });
    }
    if (w->want_write && !w->writing) {
      w->writing = true;
      w->descriptor.async_wait(boost::asio::posix::descriptor_base::wait_write,
                               [this, w](const boost::system::error_code& ec) {
                                 w->writing = false;
                                 if (ec || w->closed) return;
                                 process(ARES_SOCKET_BAD, w->fd);
                                 arm(w);
                               });
    }
  }

  void process(ares_socket_t read_fd, ares_socket_t write_fd) {
    ares_process_fd(channel, read_fd, write_fd);
    rearm_timer();
  }

  // c-ares's next retransmission or timeout; nothing armed when no query is out.
  void rearm_timer() {
    timeval tv{};
    timeval* next = ares_timeout(channel, nullptr, &tv);
    timer.cancel();
    if (next == nullptr) return;
    timer.expires_after(std::chrono::seconds(next->tv_sec) + std::chrono::microseconds(next->tv_usec));
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      process(ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    });
  }

  static void on_answer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    std::unique_ptr<Pending> pending(static_cast<Pending*>(arg));
    Impl& self = *pending->owner;
    if (self.destroying || status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) return;
    QueryStatus s = QueryStatus::kFailed;
    if (status == ARES_SUCCESS) s = QueryStatus::kAnswered;
    else if (status == ARES_ENOTFOUND || status == ARES_ENODATA) s = QueryStatus::kNoRecords;
    std::span<const std::uint8_t> message;
    if (abuf != nullptr && alen > 0) message = {abuf, static_cast<std::size_t>(alen)};
    if (!self.querying) return pending->done(s, message);
    // Failed inside ares_query(): report it from the event loop, as promised.
    std::vector<std::uint8_t> copy(message.begin(), message.end());
    boost::asio::post(self.io, [done = std::move(pending->done), s, copy = std::move(copy)] { done(s, copy); });
  }

  boost::asio::io_context& io;
  boost::asio::steady_timer timer;
  ares_channel channel = nullptr;
  std::unordered_map<int, std::shared_ptr<Watch>> watches;
  std::uint64_t sent = 0;
  bool querying = false;
  bool destroying = false;
};

std::unique_ptr<AresChannel> AresChannel::create(boost::asio::io_context& io, const ResolverConfig& config,
                                                 std::string& error) {
  init_library_once();
  auto impl = std::make_unique<Impl>(io);
  ares_options options{};
  options.sock_state_cb = &Impl::on_socket_state;
  options.sock_state_cb_data = impl.get();
  options.timeout = static_cast<int>(config.timeout.count());
  options.tries = config.tries;
  // The names asked are fully qualified (RFC 3263 works on the URI's host as given): no
  // search list, no HOSTALIASES.
  options.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
  const int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
  if (const int rc = ares_init_options(&impl->channel, &options, mask); rc != ARES_SUCCESS) {
    impl->channel = nullptr;
    error = std::string("c-ares: ") + ares_strerror(rc);
    return nullptr;
  }
  if (!config.servers.empty()) {
    const std::string csv = servers_csv(config.servers);
    if (const int rc = ares_set_servers_ports_csv(impl->channel, csv.c_str()); rc != ARES_SUCCESS) {
      error = "DNS servers \"" + csv + "\": " + ares_strerror(rc);
      return nullptr;
    }
  }
  return std::unique_ptr<AresChannel>(new AresChannel(std::move(impl)));
}

AresChannel::AresChannel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AresChannel::~AresChannel() = default;

void AresChannel::query(const std::string& name, RecordType type, Callback done) {
  auto* pending = new Impl::Pending{impl_.get(), std::move(done)};
  ++impl_->sent;
  impl_->querying = true;
  ares_query(impl_->channel, name.c_str(), kClassIn, static_cast<int>(type), &Impl::on_answer, pending);
  impl_->querying = false;
  impl_->rearm_timer();
}

std::uint64_t AresChannel::queries_sent() const noexcept { return impl_->sent; }

}  // namespace trapezoid::dns
