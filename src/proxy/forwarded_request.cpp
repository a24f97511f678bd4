#include "proxy/forwarded_request.hpp"

#include <charconv>

#include "sip/scanner.hpp"
#include "sip/serializer.hpp"
#include "transaction/message_fields.hpp"

namespace trapezoid::proxy {
namespace {

using sip::HeaderId;

void append_all(std::string& out, HeaderId id, std::span<const std::string> values) {
  for (const std::string& v : values) sip::append_field(out, sip::header_name(id), v);
}

// A received value for a new message: folded line breaks dropped (§7.3.1), the builder takes
// no CR or LF.
std::string unfolded(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (c != '\r' && c != '\n') out.push_back(c);
  return out;
}

}  // namespace

int next_max_forwards(const sip::Message& request, int absent) {
  const sip::HeaderField* h = request.find(HeaderId::kMaxForwards);
  if (h == nullptr) return absent;
  const std::string_view v = sip::trim_lws(h->value);
  int n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || end != v.data() + v.size() || n <= 0) return -1;
  return n - 1;
}

std::string forwarded_request(const sip::Message& request, const ForwardEdits& e) {
  std::string out;
  out.reserve(request.raw().size() + e.request_uri.size() + e.via.size() + 160);
  // §16.6 item 2: the start line with the target's Request-URI.
  out.append(request.method_name()).append(" ").append(e.request_uri).append(" ").append(request.version());
  out.append("\r\n");

  const bool had_record_route = request.count(HeaderId::kRecordRoute) != 0;
  const bool had_route = request.count(HeaderId::kRoute) != 0;
  const bool had_max_forwards = request.count(HeaderId::kMaxForwards) != 0;
  std::size_t vias_left = request.count(HeaderId::kVia);
  bool via_done = false;
  bool record_route_done = false;
  bool route_done = false;
  const std::string max_forwards = std::to_string(e.max_forwards);
  const std::string length = std::to_string(request.body().size());

  for (const sip::HeaderField& h : request.headers()) {
    switch (h.id) {
      case HeaderId::kVia:
        // §16.6 item 8: our Via before the existing values.
        if (!via_done) sip::append_field(out, sip::header_name(HeaderId::kVia), e.via);
        via_done = true;
        sip::append_field(out, h.name, h.value);
        if (--vias_left == 0) {
          // The kinds the request lacked go after the last Via.
          if (!had_record_route) append_all(out, HeaderId::kRecordRoute, e.record_routes);
          if (!had_route) append_all(out, HeaderId::kRoute, e.routes);
          if (!had_max_forwards) sip::append_field(out, sip::header_name(HeaderId::kMaxForwards), max_forwards);
        }
        continue;
      case HeaderId::kRecordRoute:
        // §16.6 item 4: "before any existing Record-Route header field values".
        if (!record_route_done) append_all(out, HeaderId::kRecordRoute, e.record_routes);
        record_route_done = true;
        sip::append_field(out, h.name, h.value);
        continue;
      case HeaderId::kRoute:
        if (!route_done) append_all(out, HeaderId::kRoute, e.routes);
        route_done = true;
        continue;
      case HeaderId::kMaxForwards:
        sip::append_field(out, h.name, max_forwards);  // §16.6 item 3
        continue;
      case HeaderId::kContentLength:
        sip::append_field(out, h.name, length);  // §16.6 item 9
        continue;
      default:
        sip::append_field(out, h.name, h.value);
    }
  }
  if (!via_done) {  // validated requests have a Via; kept for completeness
    sip::append_field(out, sip::header_name(HeaderId::kVia), e.via);
    append_all(out, HeaderId::kRecordRoute, e.record_routes);
    append_all(out, HeaderId::kRoute, e.routes);
    if (!had_max_forwards) sip::append_field(out, sip::header_name(HeaderId::kMaxForwards), max_forwards);
  }
  if (request.count(HeaderId::kContentLength) == 0)
    sip::append_field(out, sip::header_name(HeaderId::kContentLength), length);
  out.append("\r\n");
  out.append(request.body());  // §16.6 item 1: the body is never changed
  return out;
}

sip::BuildResult cancel_for(const sip::Message& sent, int max_forwards) {
  sip::RequestBuilder b(sip::Method::kCancel, sent.request_uri());
  b.header(HeaderId::kVia, unfolded(transaction::top_via_text(sent)));
  sent.for_each(HeaderId::kRoute, [&](const sip::HeaderField& h) { b.header(HeaderId::kRoute, unfolded(h.value)); });
  b.header(HeaderId::kMaxForwards, std::to_string(max_forwards));
  for (HeaderId id : {HeaderId::kFrom, HeaderId::kTo, HeaderId::kCallId})
    if (const sip::HeaderField* h = sent.find(id)) b.header(id, unfolded(h->value));
  sip::CSeq cseq;
  if (!transaction::cseq_of(sent, cseq)) return b.fail(sip::BuildError::kBadHeaderValue).build();
  b.header(HeaderId::kCSeq, std::to_string(cseq.number) + " CANCEL");
  return std::move(b).build();
}

}  // namespace trapezoid::proxy
