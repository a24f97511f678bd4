#include "sip/inspect.hpp"

#include "sip/charset.hpp"
#include "sip/parser.hpp"

namespace trapezoid::sip {
namespace {

// A status line starts with the SIP-Version; anything else is taken for a request.
bool looks_like_response(std::string_view bytes) {
  while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n')) bytes.remove_prefix(1);
  return bytes.size() >= 4 && charset::iequals(bytes.substr(0, 4), "SIP/");
}

}  // namespace

Inspection inspect_datagram(std::string_view bytes, Message& msg, const ValidationPolicy& policy) {
  Inspection out;
  ParseResult r = parse_datagram(bytes, msg);
  if (!r.ok()) {
    out.is_response = looks_like_response(bytes);
    out.status = r.error.status;
    out.reason = r.error.reason;
    return out;
  }
  out.parsed = true;
  out.is_response = msg.is_response();
  Verdict v = out.is_response ? validate_response(msg) : validate_request(msg, policy);
  out.well_formed = v.ok() || (!out.is_response && validate_syntax(msg).ok());
  out.status = v.status;
  out.reason = v.reason;
  out.detail = v.detail;
  return out;
}

}  // namespace trapezoid::sip
