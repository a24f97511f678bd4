// Messages shared by the transport tests.
#pragma once

#include <string>
#include <string_view>

namespace trapezoid::transport::testing {

// An OPTIONS request with the given top Via value and extra header lines (each ending CRLF).
inline std::string options_request(std::string_view via, std::string_view extra = "",
                                   std::string_view call_id = "a84b4c76e66710@pc33.atlanta.com") {
  return "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"
         "Via: " + std::string(via) + "\r\n"
         "Max-Forwards: 70\r\n"
         "To: Bob <sip:bob@biloxi.com>\r\n"
         "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
         "Call-ID: " + std::string(call_id) + "\r\n"
         "CSeq: 63104 OPTIONS\r\n" +
         std::string(extra) + "Content-Length: 0\r\n\r\n";
}

inline std::string ok_response(std::string_view via) {
  return "SIP/2.0 200 OK\r\n"
         "Via: " + std::string(via) + "\r\n"
         "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
         "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
         "CSeq: 63104 OPTIONS\r\n"
         "Content-Length: 0\r\n\r\n";
}

}  // namespace trapezoid::transport::testing
