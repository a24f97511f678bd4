// What the receiving side of the transport does with the bytes of one message, without
// sockets: parse (datagrams), stamp the top Via (RFC 3261 §18.2.1, RFC 3581), check the syntax,
// and either pass the message up, answer it with an error response, or drop it.
//
//   InboundProcessor in(limits, random);
//   Inbound r = in.on_datagram(bytes, source);
//   switch (r.action) {
//     case Inbound::Action::kPassUp: handler.on_message(std::move(r.message), source); break;
//     case Inbound::Action::kReply:  send(r.reply, r.reply_to); break;
//     case Inbound::Action::kDrop:   log(r.why); break;
//   }
//
// A passed-up Message owns its bytes (Message::own()): the handler may keep it as long as it
// likes, independent of the receive buffers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sip/message.hpp"
#include "sip/parse_result.hpp"
#include "sip/parser.hpp"
#include "sip/random_id.hpp"
#include "transport/endpoint.hpp"
#include "transport/sent_by.hpp"
#include "transport/via_stamp.hpp"

namespace trapezoid::transport {

struct Inbound {
  enum class Action : unsigned char { kPassUp, kReply, kDrop };
  Action action = Action::kDrop;
  sip::Message message;  // kPassUp: owns its bytes, top Via stamped
  std::string reply;     // kReply: the error response's bytes
  Target reply_to;       // kReply: where it goes
  bool close = false;    // stream framing is lost: close the connection after the reply
  std::string_view why;  // kReply / kDrop: the reason, for the log (static storage)
  int status = 0;        // kReply: the response code
};

class InboundProcessor {
 public:
  // `random` draws To-tags for error responses; it must outlive the processor.
  InboundProcessor(const sip::ParserLimits& limits, sip::RandomSource& random)
      : limits_(limits), random_(random) {}

  // RFC 3261 §18.1.2: responses whose top Via sent-by is none of these are dropped. Empty (the
  // default) accepts every response.
  void set_sent_by(std::vector<SentBy> ours) { sent_by_ = std::move(ours); }

  // One whole datagram (§18.3).
  [[nodiscard]] Inbound on_datagram(std::string_view bytes, const Source& source);

  // A message parsed from a stream; its views may point into the stream buffer.
  [[nodiscard]] Inbound on_parsed(sip::Message& msg, const Source& source, bool stream);

  // A parse error. `partial` holds what the parser read before the error (views into `bytes`).
  // A request whose header fields allow it gets the error response; on a stream a message
  // that does not look like a response gets a bare one (framing is lost: close follows).
  [[nodiscard]] Inbound on_parse_error(std::string_view bytes, const sip::Message& partial,
                                       const sip::ParseError& error, const Source& source, bool stream);

 private:
  // on_parsed's work on a message already in `out` (kDrop until it passes): datagrams are
  // parsed straight into the Inbound they leave in, so the message is not moved on the way.
  void finish(Inbound& out, const Source& source, bool stream);
  [[nodiscard]] bool is_ours(const sip::Message& response) const;
  Inbound reply(const sip::Message& request, int status, std::string_view reason, const Source& source,
                bool stream);

  // ";received=" + an IPv6 address + ";rport=65535", with room to spare.
  static constexpr std::size_t kStampRoom = 128;

  sip::ParserLimits limits_;
  sip::RandomSource& random_;
  std::vector<SentBy> sent_by_;
  ViaEdit stamp_;  // the top Via stamp of the request at hand, reused
};

}  // namespace trapezoid::transport
