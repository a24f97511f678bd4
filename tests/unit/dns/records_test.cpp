// The DNS message parse (RFC 1035 §4.1, compression pointers), the record cache and the RFC 2782
// SRV order, without sockets.
#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "dns/record_cache.hpp"
#include "dns/records.hpp"
#include "dns/srv_order.hpp"

namespace trapezoid::dns {
namespace {

using namespace std::chrono_literals;

// A response to "_sip._udp.example.test SRV": one SRV whose target is written with a
// compression pointer into the question, plus its A record in the additional section.
std::vector<std::uint8_t> srv_response() {
  std::vector<std::uint8_t> m = {0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 1};
  // question at offset 12: _sip._udp.example.test
  for (const char* label : {"_sip", "_udp", "example", "test"}) {
    m.push_back(static_cast<std::uint8_t>(std::strlen(label)));
    m.insert(m.end(), label, label + std::strlen(label));
  }
  m.push_back(0);
  m.insert(m.end(), {0, 33, 0, 1});
  // answer: owner = pointer to offset 12; SRV 10 60 5070 "pbx" + pointer to "example.test"
  m.insert(m.end(), {0xc0, 12, 0, 33, 0, 1, 0, 0, 0, 120});
  const std::vector<std::uint8_t> rdata = {0, 10, 0, 60, 0x13, 0xce, 3, 'p', 'b', 'x', 0xc0, 22};
  m.insert(m.end(), {0, static_cast<std::uint8_t>(rdata.size())});
  m.insert(m.end(), rdata.begin(), rdata.end());
  // additional: pbx.example.test A 127.0.0.9, owner by pointer to the SRV target's label
  const std::size_t target_at = m.size() - 6;  // "pbx" label in the rdata above
  m.insert(m.end(), {0xc0, static_cast<std::uint8_t>(target_at), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 9});
  return m;
}

TEST(DnsRecords, ParsesSrvWithCompressedNamesAndAdditionalAddresses) {
  DnsResponse r;
  ASSERT_TRUE(parse_response(srv_response(), r));
  EXPECT_EQ(r.rcode, 0);
  ASSERT_EQ(r.answers.size(), 1u);
  EXPECT_EQ(r.answers[0].name, "_sip._udp.example.test");
  EXPECT_EQ(r.answers[0].ttl, 120u);
  const auto& srv = std::get<SrvData>(r.answers[0].data);
  EXPECT_EQ(srv.priority, 10);
  EXPECT_EQ(srv.weight, 60);
  EXPECT_EQ(srv.port, 5070);
  EXPECT_EQ(srv.target, "pbx.example.test");
  ASSERT_EQ(r.additional.size(), 1u);
  EXPECT_EQ(r.additional[0].name, "pbx.example.test");
  EXPECT_EQ(std::get<transport::IpAddress>(r.additional[0].data).to_string(), "127.0.0.9");
}

TEST(DnsRecords, RefusesEveryTruncation) {
  const std::vector<std::uint8_t> whole = srv_response();
  for (std::size_t n = 0; n < whole.size(); ++n) {
    DnsResponse r;
    EXPECT_FALSE(parse_response(std::span(whole.data(), n), r)) << n << " bytes";
  }
}

TEST(DnsRecords, NamesCompareWithoutCaseAndTrailingDot) {
  EXPECT_TRUE(same_name("Example.TEST.", "example.test"));
  EXPECT_FALSE(same_name("example.test", "example.tes"));
  EXPECT_EQ(canonical_name("PBX.Example.test."), "pbx.example.test");
}

TEST(DnsRecordCache, ExpiresAndDropsTheLeastRecentlyUsed) {
  RecordCache cache(2);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  cache.put("a.test", RecordType::kA, {}, t0 + 10s);
  cache.put("b.test", RecordType::kA, {}, t0 + 10s);
  ASSERT_NE(cache.find("A.test", RecordType::kA, t0), nullptr);  // a is now the most recent
  cache.put("c.test", RecordType::kA, {}, t0 + 10s);             // b goes
  EXPECT_EQ(cache.find("b.test", RecordType::kA, t0), nullptr);
  EXPECT_NE(cache.find("a.test", RecordType::kA, t0), nullptr);
  EXPECT_EQ(cache.find("a.test", RecordType::kAaaa, t0), nullptr);  // by type too
  EXPECT_EQ(cache.find("c.test", RecordType::kA, t0 + 10s), nullptr);  // expired
  EXPECT_EQ(cache.size(), 1u);
}

TEST(DnsSrvOrder, PriorityFirstThenWeightedDraw) {
  std::mt19937 rng(7);
  std::vector<SrvData> records = {{20, 0, 1, "c"}, {10, 0, 2, "zero"}, {10, 100, 3, "heavy"}};
  std::map<std::string, int> first;
  for (int i = 0; i < 2000; ++i) {
    const std::vector<SrvData> o = order_srv(records, rng);
    ASSERT_EQ(o.size(), 3u);
    EXPECT_EQ(o[2].target, "c");
    ++first[o[0].target];
  }
  // RFC 2782: weight 0 has a small chance (1 in 101 here), weight 100 the rest.
  EXPECT_GT(first["heavy"], 1900);
  EXPECT_GT(first["zero"], 0);
}

TEST(DnsSrvOrder, AllWeightsZeroStillOrdersEveryRecord) {
  std::mt19937 rng(1);
  const std::vector<SrvData> o = order_srv({{1, 0, 1, "a"}, {1, 0, 2, "b"}, {0, 0, 3, "first"}}, rng);
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].target, "first");
}

}  // namespace
}  // namespace trapezoid::dns
