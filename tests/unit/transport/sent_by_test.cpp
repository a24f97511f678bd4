#include "transport/sent_by.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace trapezoid::transport {
namespace {

bool ours(std::string_view via_value, const std::vector<SentBy>& list) {
  sip::Via v;
  EXPECT_EQ(sip::parse_via(via_value, v), "");
  return is_our_sent_by(v, list);
}

const std::vector<SentBy> kOurs = {{"pc33.atlanta.com", 0}, {"192.0.2.1", 5070}, {"[2001:db8::1]", 0}};

TEST(SentBy, HostNamesIgnoreCaseAndDefaultPortsApply) {
  EXPECT_TRUE(ours("SIP/2.0/UDP PC33.Atlanta.COM;branch=z9hG4bK1", kOurs));
  EXPECT_TRUE(ours("SIP/2.0/UDP pc33.atlanta.com:5060;branch=z9hG4bK1", kOurs));
  EXPECT_FALSE(ours("SIP/2.0/UDP pc33.atlanta.com:5062;branch=z9hG4bK1", kOurs));
  EXPECT_FALSE(ours("SIP/2.0/TLS pc33.atlanta.com:5060", kOurs));  // TLS defaults to 5061
  EXPECT_TRUE(ours("SIP/2.0/TLS pc33.atlanta.com", kOurs));
}

TEST(SentBy, AddressesCompareByValue) {
  EXPECT_TRUE(ours("SIP/2.0/UDP 192.0.2.1:5070", kOurs));
  EXPECT_FALSE(ours("SIP/2.0/UDP 192.0.2.1", kOurs));
  EXPECT_TRUE(ours("SIP/2.0/TCP [2001:DB8:0::1]:5060", kOurs));
  EXPECT_FALSE(ours("SIP/2.0/UDP biloxi.com", kOurs));
  EXPECT_FALSE(ours("SIP/2.0/UDP 192.0.2.1", {}));
}

}  // namespace
}  // namespace trapezoid::transport
