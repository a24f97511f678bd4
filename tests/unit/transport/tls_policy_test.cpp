// RFC 3261 §26.2.2: which outgoing messages only TLS may carry.
#include "transport/tls_policy.hpp"

#include <gtest/gtest.h>

#include "sip_samples.hpp"

namespace trapezoid::transport {
namespace {

using testing::ok_response;
using testing::options_request;

std::string request_to(std::string_view uri, std::string_view extra = "") {
  std::string r = options_request("SIP/2.0/TCP client.example.com;branch=z9hG4bKs1", extra);
  r.replace(r.find("sip:bob@biloxi.com"), 18, uri);
  return r;
}

TEST(TlsPolicy, SipsRequestUriNeedsTls) {
  EXPECT_TRUE(needs_tls(request_to("sips:bob@biloxi.com")));
  EXPECT_TRUE(needs_tls(request_to("SIPS:bob@biloxi.com")));  // schemes are case-insensitive
  EXPECT_FALSE(needs_tls(request_to("sip:bob@biloxi.com")));
  // A sips: URI elsewhere (From, Contact) does not decide the hop.
  EXPECT_FALSE(needs_tls(request_to("sip:bob@biloxi.com", "Contact: <sips:alice@pc33.atlanta.com>\r\n")));
}

TEST(TlsPolicy, FirstRouteDecidesTheNextHop) {
  EXPECT_TRUE(needs_tls(request_to("sip:bob@biloxi.com", "Route: <sips:proxy.atlanta.com;lr>\r\n")));
  EXPECT_TRUE(needs_tls(request_to("sip:bob@biloxi.com", "Route: \"P\" <sips:p1.atlanta.com;lr>, <sip:p2;lr>\r\n")));
  EXPECT_FALSE(needs_tls(request_to("sip:bob@biloxi.com", "Route: <sip:p1.atlanta.com;lr>, <sips:p2;lr>\r\n")));
  // Found wherever the colon falls: upper case, and a Route that is the last header line.
  EXPECT_TRUE(needs_tls(request_to("sip:bob@biloxi.com", "Route: <SIPS:proxy.atlanta.com;lr>\r\n")));
  std::string last_route = request_to("sip:bob@biloxi.com");
  last_route.insert(last_route.find("\r\n\r\n") + 2, "Route:<sips:p>\r\n");
  EXPECT_TRUE(needs_tls(last_route));
}

TEST(TlsPolicy, ResponsesAndKeepAlivesAreNeverRefused) {
  std::string response = ok_response("SIP/2.0/TCP client.example.com;branch=z9hG4bKs2");
  response.replace(response.find("sip:bob@biloxi.com"), 18, "sips:bob@biloxi.com");
  EXPECT_FALSE(needs_tls(response));
  EXPECT_FALSE(needs_tls("\r\n\r\n"));
  EXPECT_FALSE(needs_tls(""));
}

TEST(TlsPolicy, UnparsableRequestIsJudgedByItsRequestLine) {
  EXPECT_TRUE(needs_tls("OPTIONS sips:bob@biloxi.com SIP/2.0\r\nbroken\r\n\r\n"));
  EXPECT_FALSE(needs_tls("OPTIONS sip:bob@biloxi.com SIP/2.0\r\nRoute broken sips:x\r\n\r\n"));
}

}  // namespace
}  // namespace trapezoid::transport
