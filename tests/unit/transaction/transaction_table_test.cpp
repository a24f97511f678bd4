#include "transaction/transaction_table.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "test_support.hpp"

namespace trapezoid::transaction {
namespace {

using namespace test;

RequestSpec with(std::string method, std::string branch = "z9hG4bK776asdhds") {
  RequestSpec s;
  s.method = std::move(method);
  s.branch = std::move(branch);
  return s;
}

// ---- client side, §17.1.3 --------------------------------------------------------------

// Client entries owned by the test, at stable addresses like the layer's.
class ClientEntries {
 public:
  bool add(TransactionTable& t, TransactionId id, const sip::Message& request) {
    entries_.push_back(std::make_unique<ClientEntry>());
    return entries_.back()->assign(id, request) && t.add_client(*entries_.back());
  }
  const ClientEntry& operator[](std::size_t i) const { return *entries_[i]; }

 private:
  std::vector<std::unique_ptr<ClientEntry>> entries_;
};

TEST(TransactionTableClient, MatchesBranchAndCSeqMethod) {
  TransactionTable t;
  ClientEntries entries;
  sip::Message invite = request(with("INVITE"));
  sip::Message cancel = request(with("CANCEL"));
  ASSERT_TRUE(entries.add(t, 1, invite));
  ASSERT_TRUE(entries.add(t, 2, cancel));   // same branch, other method
  EXPECT_FALSE(entries.add(t, 3, invite));  // duplicate key
  EXPECT_EQ(t.match_response(response(180, with("INVITE"))), 1u);
  EXPECT_EQ(t.match_response(response(200, with("CANCEL"))), 2u);
  EXPECT_FALSE(t.match_response(response(200, with("BYE"))).has_value());
  EXPECT_FALSE(t.match_response(response(200, with("INVITE", "z9hG4bKother"))).has_value());
  t.remove_client(entries[0]);
  EXPECT_FALSE(t.match_response(response(180, with("INVITE"))).has_value());
  EXPECT_EQ(t.client_count(), 1u);
}

TEST(TransactionTableClient, SentByDoesNotMatterForResponses) {
  TransactionTable t;
  ClientEntries entries;
  sip::Message invite = request(with("INVITE"));
  ASSERT_TRUE(entries.add(t, 1, invite));
  RequestSpec s = with("INVITE");
  s.sent_by = "192.0.2.9:5070";
  EXPECT_EQ(t.match_response(response(200, s)), 1u);
}

TEST(TransactionTableClient, RequestWithoutBranchIsRefused) {
  TransactionTable t;
  ClientEntries entries;
  sip::Message r = request(with("OPTIONS", ""));
  EXPECT_FALSE(entries.add(t, 1, r));
}

// ---- server side, §17.2.3 ---------------------------------------------------------------

class ServerTableTest : public ::testing::Test {
 protected:
  void add(TransactionId id, const sip::Message& m) {
    entries_.push_back(std::make_unique<ServerEntry>());
    ASSERT_TRUE(entries_.back()->assign(id, m));
    ASSERT_TRUE(table.add_server(*entries_.back()));
  }
  ServerEntry& entry(std::size_t i) { return *entries_[i]; }
  TransactionTable table;
  std::vector<std::unique_ptr<ServerEntry>> entries_;
};

TEST_F(ServerTableTest, MatchesBranchSentByAndMethod) {
  sip::Message invite = request(with("INVITE"));
  add(1, invite);
  const ServerEntry* e = table.match_request(request(with("INVITE")));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, 1u);
  EXPECT_EQ(table.match_request(request(with("ACK")))->id, 1u);  // ACK matches INVITE
  EXPECT_EQ(table.match_request(request(with("CANCEL"))), nullptr);
  EXPECT_EQ(table.match_request(request(with("INVITE", "z9hG4bKother"))), nullptr);
}

TEST_F(ServerTableTest, SentByMustMatchHostCaseInsensitively) {
  sip::Message invite = request(with("INVITE"));
  add(1, invite);
  RequestSpec upper = with("INVITE");
  upper.sent_by = "PC33.Atlanta.COM";
  EXPECT_NE(table.match_request(request(upper)), nullptr);
  RequestSpec other_host = with("INVITE");
  other_host.sent_by = "evil.example.com";  // same branch from another client
  EXPECT_EQ(table.match_request(request(other_host)), nullptr);
  RequestSpec with_port = with("INVITE");
  with_port.sent_by = "pc33.atlanta.com:5060";
  EXPECT_EQ(table.match_request(request(with_port)), nullptr);
}

TEST_F(ServerTableTest, SameBranchFromTwoClientsAreTwoTransactions) {
  sip::Message a = request(with("INVITE"));
  RequestSpec s = with("INVITE");
  s.sent_by = "192.0.2.7";
  sip::Message b = request(s);
  add(1, a);
  add(2, b);
  EXPECT_EQ(table.match_request(request(s))->id, 2u);
  table.remove_server(entry(1));
  EXPECT_EQ(table.match_request(request(s)), nullptr);
  EXPECT_EQ(table.match_request(request(with("INVITE")))->id, 1u);
}

TEST_F(ServerTableTest, Rfc2543InviteRetransmission) {
  sip::Message invite = request(with("INVITE", ""));
  add(1, invite);
  EXPECT_EQ(table.match_request(request(with("INVITE", "")))->id, 1u);
  RequestSpec other_cseq = with("INVITE", "");
  other_cseq.cseq = 314160;
  EXPECT_EQ(table.match_request(request(other_cseq)), nullptr);
  RequestSpec other_uri = with("INVITE", "");
  other_uri.uri = "sip:carol@biloxi.com";
  EXPECT_EQ(table.match_request(request(other_uri)), nullptr);
  RequestSpec other_from = with("INVITE", "");
  other_from.from_tag = "99";
  EXPECT_EQ(table.match_request(request(other_from)), nullptr);
  RequestSpec other_via = with("INVITE", "");
  other_via.sent_by = "pc34.atlanta.com";
  EXPECT_EQ(table.match_request(request(other_via)), nullptr);
  RequestSpec equal_uri = with("INVITE", "");
  equal_uri.uri = "sip:bob@BILOXI.com";  // §19.1.4: hosts compare case-insensitively
  EXPECT_EQ(table.match_request(request(equal_uri))->id, 1u);
}

TEST_F(ServerTableTest, Rfc2543AckMatchesOnTheResponseToTag) {
  sip::Message invite = request(with("INVITE", ""));
  add(1, invite);
  RequestSpec ack = with("ACK", "");
  ack.to_tag = "srv";
  EXPECT_EQ(table.match_request(request(ack)), nullptr);  // no response sent yet
  entry(0).response_to_tag = "srv";
  EXPECT_EQ(table.match_request(request(ack))->id, 1u);
  ack.to_tag = "another";  // the ACK of a different response (say a 2xx of another fork)
  EXPECT_EQ(table.match_request(request(ack)), nullptr);
}

TEST_F(ServerTableTest, CancelFindsTheInviteItCancels) {
  sip::Message invite = request(with("INVITE"));
  sip::Message cancel = request(with("CANCEL"));
  add(1, invite);
  add(2, cancel);
  EXPECT_EQ(table.match_cancel(cancel)->id, 1u);
  EXPECT_EQ(table.match_cancel(request(with("CANCEL", "z9hG4bKelse"))), nullptr);
}

TEST_F(ServerTableTest, Rfc2543CancelFindsTheInvite) {
  sip::Message invite = request(with("INVITE", ""));
  sip::Message cancel = request(with("CANCEL", ""));
  add(1, invite);
  add(2, cancel);
  EXPECT_EQ(table.match_cancel(cancel)->id, 1u);
  RequestSpec other = with("CANCEL", "");
  other.call_id = "different@x";
  EXPECT_EQ(table.match_cancel(request(other)), nullptr);
}

TEST_F(ServerTableTest, MergedRequestArrivesByAnotherPath) {
  sip::Message first = request(with("INVITE", "z9hG4bKpath1"));
  add(1, first);
  EXPECT_FALSE(table.is_merged(first));
  // §8.2.2.2: same From tag, Call-ID and CSeq, no To tag, another branch.
  sip::Message forked = request(with("INVITE", "z9hG4bKpath2"));
  EXPECT_TRUE(table.is_merged(forked));
  add(2, forked);
  EXPECT_TRUE(table.is_merged(forked, 2));
  EXPECT_FALSE(table.is_merged(first, 1));  // judged against what was there before it
  EXPECT_EQ(kMergedRequestStatus, 482);
}

TEST_F(ServerTableTest, NotMergedWhenTaggedOrDifferent) {
  sip::Message first = request(with("INVITE", "z9hG4bKpath1"));
  add(1, first);
  RequestSpec tagged = with("INVITE", "z9hG4bKpath2");
  tagged.to_tag = "t";
  EXPECT_FALSE(table.is_merged(request(tagged)));
  RequestSpec other_from = with("INVITE", "z9hG4bKpath2");
  other_from.from_tag = "x";
  EXPECT_FALSE(table.is_merged(request(other_from)));
  RequestSpec other_cseq = with("INVITE", "z9hG4bKpath2");
  other_cseq.cseq = 1;
  EXPECT_FALSE(table.is_merged(request(other_cseq)));
  // A retransmission on the same path is not merged.
  EXPECT_FALSE(table.is_merged(request(with("INVITE", "z9hG4bKpath1"))));
  // A CANCEL shares From tag, Call-ID and CSeq number but not the CSeq method.
  EXPECT_FALSE(table.is_merged(request(with("CANCEL", "z9hG4bKpath2"))));
}

TEST_F(ServerTableTest, RequestsMissingKeysAreRefused) {
  sip::Message m = parse(
      "OPTIONS sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "Content-Length: 0\r\n\r\n");
  ServerEntry e;
  EXPECT_FALSE(e.assign(1, m));
  EXPECT_FALSE(table.add_server(e));
  EXPECT_EQ(table.match_request(m), nullptr);
  EXPECT_FALSE(table.is_merged(m));
}

}  // namespace
}  // namespace trapezoid::transaction
