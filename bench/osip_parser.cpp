#include <cstdlib>

#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>

#include "reference_parsers.hpp"

namespace bench {
namespace {

bool fail(std::string* why, const char* what) {
  if (why != nullptr) *why = what;
  return false;
}

// osip2 parses the core header fields into structures; make sure they are there.
bool core_headers_present(const osip_message_t* sip, std::string* why) {
  if (sip->sip_method == nullptr && sip->status_code == 0) {
    return fail(why, "no request or status line");
  }
  if (osip_list_size(&sip->vias) <= 0) return fail(why, "no Via");
  if (sip->from == nullptr) return fail(why, "no From");
  if (sip->to == nullptr) return fail(why, "no To");
  if (sip->call_id == nullptr) return fail(why, "no Call-ID");
  if (sip->cseq == nullptr) return fail(why, "no CSeq");
  if (sip->content_length != nullptr && sip->content_length->value != nullptr &&
      std::strtol(sip->content_length->value, nullptr, 10) > 0 &&
      osip_list_size(&sip->bodies) <= 0) {
    return fail(why, "Content-Length announces a body that is missing");
  }
  return true;
}

}  // namespace

void osip_init() { parser_init(); }

bool osip_parse(std::string_view bytes, std::string* why) {
  osip_message_t* sip = nullptr;
  if (osip_message_init(&sip) != OSIP_SUCCESS) return fail(why, "osip_message_init failed");
  bool ok = false;
  if (osip_message_parse(sip, bytes.data(), bytes.size()) != OSIP_SUCCESS) {
    fail(why, "osip_message_parse failed");
  } else {
    ok = core_headers_present(sip, why);
  }
  osip_message_free(sip);
  return ok;
}

}  // namespace bench
