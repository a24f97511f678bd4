// The parsers Trapezoid is compared with, behind plain functions so their C headers (and
// macros) stay out of the benchmark's translation unit.
//
// Each function does what that stack does with one received datagram: set up its message
// object, parse, and free everything again. It returns false when the parse failed or left
// out a core header field; only then, and only if `why` is given, it says why.
#pragma once

#include <string>
#include <string_view>

namespace bench {

// sofia-sip: msg_create(sip_default_mclass()) + msg_buf_alloc/commit + msg_extract +
// msg_destroy, as its transport layer does for a UDP datagram.
bool sofia_parse(std::string_view bytes, std::string* why = nullptr);

// osip2: call once before osip_parse (builds the parser's header table).
void osip_init();
// osip2: osip_message_init + osip_message_parse + osip_message_free.
bool osip_parse(std::string_view bytes, std::string* why = nullptr);

}  // namespace bench
