#include <cstring>

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/msg_buffer.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>

#include "reference_parsers.hpp"

namespace bench {
namespace {

bool fail(std::string* why, const char* what) {
  if (why != nullptr) *why = what;
  return false;
}

// The header fields RFC 3261 §8.1.1 requires in every message; a parse that lost one of
// them (sofia keeps going and files unparsable fields under sip_error) does not count.
bool core_headers_present(const sip_t* sip, std::string* why) {
  if (sip == nullptr) return fail(why, "no sip_t object");
  if (sip->sip_request == nullptr && sip->sip_status == nullptr) {
    return fail(why, "no request or status line");
  }
  if (sip->sip_error != nullptr) return fail(why, "a header field failed to parse");
  if (sip->sip_via == nullptr) return fail(why, "no Via");
  if (sip->sip_from == nullptr) return fail(why, "no From");
  if (sip->sip_to == nullptr) return fail(why, "no To");
  if (sip->sip_call_id == nullptr) return fail(why, "no Call-ID");
  if (sip->sip_cseq == nullptr) return fail(why, "no CSeq");
  if (sip->sip_content_length != nullptr && sip->sip_content_length->l_length > 0 &&
      (sip->sip_payload == nullptr ||
       sip->sip_payload->pl_len != sip->sip_content_length->l_length)) {
    return fail(why, "body does not match Content-Length");
  }
  return true;
}

}  // namespace

bool sofia_parse(std::string_view bytes, std::string* why) {
  // Flags 0: no MSG_DO_EXTRACT_COPY, so sofia does the least work it can.
  msg_t* msg = msg_create(sip_default_mclass(), 0);
  if (msg == nullptr) return fail(why, "msg_create failed");

  bool ok = false;
  // The copy stands in for recvfrom() into sofia's own buffer: its parser works in place.
  if (void* buf = msg_buf_alloc(msg, bytes.size() + 1); buf == nullptr) {
    fail(why, "msg_buf_alloc failed");
  } else {
    std::memcpy(buf, bytes.data(), bytes.size());
    msg_buf_commit(msg, bytes.size(), 1 /* end of stream: the datagram is complete */);
    const int r = msg_extract(msg);
    if (r <= 0) {
      fail(why, r == 0 ? "msg_extract: incomplete message" : "msg_extract: parse error");
    } else {
      ok = core_headers_present(sip_object(msg), why);
    }
  }
  msg_destroy(msg);
  return ok;
}

}  // namespace bench
