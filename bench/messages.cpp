#include "messages.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

namespace bench {
namespace {

// Appends Content-Length (counted, not hand-written) and the body to a header section whose
// lines already end in CRLF.
std::string with_body(std::string_view head, std::string_view body) {
  std::string out(head);
  out += "Content-Length: ";
  out += std::to_string(body.size());
  out += "\r\n\r\n";
  out += body;
  return out;
}

// RFC 3261 §4 prints "(Alice's SDP not shown)", so this is a minimal RFC 4566 offer from
// Alice's host (PCMU only). Its length, not the RFC's 142, goes into Content-Length.
constexpr std::string_view kAliceSdp =
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com\r\n"
    "s=-\r\n"
    "c=IN IP4 pc33.atlanta.com\r\n"
    "t=0 0\r\n"
    "m=audio 49172 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

// Bob's answer (§24.2 F9 does not show it either).
constexpr std::string_view kBobSdp =
    "v=0\r\n"
    "o=bob 2808844564 2808844564 IN IP4 192.0.2.4\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.4\r\n"
    "t=0 0\r\n"
    "m=audio 3456 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

// §4, message F1, header fields exactly as printed.
constexpr std::string_view kInviteHead =
    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.com>\r\n"
    "Content-Type: application/sdp\r\n";

// §24.1, message F1.
constexpr std::string_view kRegisterHead =
    "REGISTER sip:registrar.biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "From: Bob <sip:bob@biloxi.com>;tag=456248\r\n"
    "Call-ID: 843817637684230@998sdasdh09\r\n"
    "CSeq: 1826 REGISTER\r\n"
    "Contact: <sip:bob@192.0.2.4>\r\n"
    "Expires: 7200\r\n";

// §24.2, message F9 (the 200 OK that carries all three Vias). The RFC folds each Via's
// ";received=" onto a continuation line only to fit the page; a UA sends one line per Via,
// so that is what is timed.
constexpr std::string_view kOkHead =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bK4b43c2ff8.1;received=192.0.2.3\r\n"
    "Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1"
    ";received=192.0.2.2\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1\r\n"
    "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:bob@192.0.2.4>\r\n"
    "Content-Type: application/sdp\r\n";

}  // namespace

std::vector<BenchMessage> builtin_messages() {
  return {
      {"invite", with_body(kInviteHead, kAliceSdp)},
      {"register", with_body(kRegisterHead, "")},
      {"200_ok", with_body(kOkHead, kBobSdp)},
  };
}

BenchMessage message_from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw std::runtime_error("cannot read " + path);
  // Label the benchmark with the file's name, without directories or extension.
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (const auto dot = name.find_last_of('.'); dot != std::string::npos && dot > 0) {
    name.resize(dot);
  }
  if (name.empty()) name = "file";
  return {name, std::move(bytes)};
}

}  // namespace bench
