#include "sip/params.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace trapezoid::sip {
namespace {

// Runs scan_params over `text`; returns whether it succeeded, the raw params and what is left.
struct Scan {
  bool ok = false;
  std::string raw;
  std::string rest;
};

Scan scan(std::string_view text) {
  Scanner s(text);
  Params p;
  Scan out;
  out.ok = scan_params(s, p);
  out.raw = std::string(p.raw());
  out.rest = std::string(s.rest());
  return out;
}

std::vector<std::string> names_of(const Params& p) {
  std::vector<std::string> out;
  p.for_each([&](const Param& param) { out.emplace_back(param.name); });
  return out;
}

TEST(Params, GetFindsValuesFlagsAndAbsence) {
  Params p{"tag=1928301774;q=0.7;lr"};
  EXPECT_EQ(p.get("tag"), "1928301774");
  EXPECT_EQ(p.get("q"), "0.7");
  ASSERT_TRUE(p.get("lr").has_value());
  EXPECT_EQ(*p.get("lr"), "");
  EXPECT_FALSE(p.get("x").has_value());
  EXPECT_TRUE(p.has("lr"));
  EXPECT_FALSE(p.has("l"));
  EXPECT_FALSE(p.has("tags"));
  EXPECT_FALSE(p.empty());
  EXPECT_EQ(p.raw(), "tag=1928301774;q=0.7;lr");
}

// RFC 3261 §7.3.1: parameter names are case-insensitive.
TEST(Params, NamesAreCaseInsensitiveValuesKeptAsWritten) {
  Params p{"BRANCH=z9hG4bKAbC;Received=192.0.2.1"};
  EXPECT_EQ(p.get("branch"), "z9hG4bKAbC");
  EXPECT_EQ(p.get("RECEIVED"), "192.0.2.1");
}

TEST(Params, FirstOccurrenceWins) {
  Params p{"a=1;a=2"};
  EXPECT_EQ(p.get("a"), "1");
}

TEST(Params, EmptyParamsHaveNothing) {
  Params p;
  EXPECT_TRUE(p.empty());
  EXPECT_FALSE(p.get("a").has_value());
  EXPECT_TRUE(names_of(p).empty());
}

TEST(Params, QuotedValuesKeepTheirQuotes) {
  Params p{R"(text="a;b,c";x=y)"};
  EXPECT_EQ(p.get("text"), R"("a;b,c")");
  EXPECT_EQ(p.get("x"), "y");
}

TEST(Params, ForEachVisitsEveryParameterInOrder) {
  Params p{"a=1;b;c=\"q\""};
  std::vector<Param> seen;
  p.for_each([&](const Param& param) { seen.push_back(param); });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].name, "a");
  EXPECT_EQ(seen[0].value, "1");
  EXPECT_TRUE(seen[0].has_value);
  EXPECT_EQ(seen[1].name, "b");
  EXPECT_EQ(seen[1].value, "");
  EXPECT_FALSE(seen[1].has_value);
  EXPECT_EQ(seen[2].name, "c");
  EXPECT_EQ(seen[2].value, "\"q\"");
  EXPECT_TRUE(seen[2].has_value);
}

// SEMI = SWS ";" SWS, EQUAL = SWS "=" SWS (§25.1), folds included (RFC 4475 §3.1.1.1 wsinv:
// "tag    = 1918181833n", "branch=\r\n z9hG4bK30239").
TEST(Params, ToleratesLwsAroundSeparators) {
  Params p{"tag    = 1918181833n ;\r\n  lr ;  q\r\n = 0.33"};
  EXPECT_EQ(p.get("tag"), "1918181833n");
  EXPECT_EQ(p.get("lr"), "");
  EXPECT_EQ(p.get("q"), "0.33");
  EXPECT_EQ(names_of(p), (std::vector<std::string>{"tag", "lr", "q"}));
}

TEST(Params, ScanStartsAtTheFirstSemicolonAndExcludesIt) {
  Scan r = scan(";tag=1;lr");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.raw, "tag=1;lr");
  EXPECT_EQ(r.rest, "");
}

TEST(Params, ScanWithoutParametersSucceedsAndConsumesNothing) {
  Scan r = scan(", next");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.raw, "");
  EXPECT_EQ(r.rest, ", next");
  Scan e = scan("");
  EXPECT_TRUE(e.ok);
  EXPECT_EQ(e.raw, "");
}

TEST(Params, ScanSkipsLeadingLwsBeforeTheSemicolon) {
  Scan r = scan("  ;  a = b  ;c  ");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.raw, "a = b  ;c");
  // The trailing whitespace is left for the caller.
  EXPECT_EQ(r.rest, "  ");
}

TEST(Params, ScanStopsBeforeAComma) {
  Scan r = scan(";branch=z9hG4bK1 , SIP/2.0/UDP b");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.raw, "branch=z9hG4bK1");
  EXPECT_EQ(r.rest, " , SIP/2.0/UDP b");
}

TEST(Params, ScanStopsBeforeAnythingNotAParameter) {
  Scan r = scan(";a=b junk");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.raw, "a=b");
  EXPECT_EQ(r.rest, " junk");
}

// generic-param = token [ EQUAL gen-value ]: every SEMI is followed by a parameter, so empty
// parameters are malformed (RFC 4475 §3.1.2.1 badinv01: "Via: ...;;,;").
TEST(Params, ScanRejectsEmptyParameters) {
  for (std::string_view bad : {";;", ";a;;b", ";", ";a;", ";a; ", "; ;a", ";=x", ";a=", ";a= ;b",
                               ";a==b", ";\"q\"=1", ";a=\"open", ";@", ";a=;"}) {
    Scanner s(bad);
    Params p{"stale"};
    EXPECT_FALSE(scan_params(s, p)) << '"' << bad << '"';
  }
}

TEST(Params, ScanResetsTheOutputFirst) {
  Scanner s("no params");
  Params p{"stale=1"};
  EXPECT_TRUE(scan_params(s, p));
  EXPECT_TRUE(p.empty());
}

TEST(Params, ScanAcceptsHostAndIpv6Values) {
  Scan r = scan(";received=[2001:db8::9:255];maddr=192.0.2.1;x=a.b-c");
  EXPECT_TRUE(r.ok);
  Params p{r.raw};
  EXPECT_EQ(p.get("received"), "[2001:db8::9:255]");
  EXPECT_EQ(p.get("maddr"), "192.0.2.1");
  EXPECT_EQ(p.get("x"), "a.b-c");
}

TEST(Params, ScanAcceptsQuotedValuesWithSeparatorsInside) {
  Scan r = scan(R"(;text="a;b,c=d";e)");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.raw, R"(text="a;b,c=d";e)");
  EXPECT_EQ(Params{r.raw}.get("text"), R"("a;b,c=d")");
}

TEST(Params, ScanReportsEachParameterToTheCallbackInOrder) {
  Scanner s(R"(;tag=1 ; lr;text="a;b";q = 0.5 , next)");
  Params p;
  std::vector<Param> seen;
  ASSERT_TRUE(scan_params(s, p, [&](const Param& param) {
    seen.push_back(param);
    return true;
  }));
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].name, "tag");
  EXPECT_EQ(seen[0].value, "1");
  EXPECT_TRUE(seen[0].has_value);
  EXPECT_EQ(seen[1].name, "lr");
  EXPECT_FALSE(seen[1].has_value);
  EXPECT_EQ(seen[1].value, "");
  EXPECT_EQ(seen[2].value, R"("a;b")");
  EXPECT_EQ(seen[3].name, "q");
  EXPECT_EQ(seen[3].value, "0.5");
  EXPECT_EQ(p.raw(), R"(tag=1 ; lr;text="a;b";q = 0.5)");
  EXPECT_EQ(s.rest(), " , next");
}

TEST(Params, ScanFailsWhenTheCallbackRefuses) {
  Scanner s(";a=1;b=2;c=3");
  Params p{"stale"};
  int calls = 0;
  EXPECT_FALSE(scan_params(s, p, [&](const Param& param) {
    ++calls;
    return param.name != "b";
  }));
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(p.empty());
}

TEST(Params, ScanDoesNotCallBackForAMalformedParameter) {
  Scanner s(";a=1;;b=2");
  Params p;
  std::vector<std::string> seen;
  EXPECT_FALSE(scan_params(s, p, [&](const Param& param) {
    seen.emplace_back(param.name);
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"a"}));
}

TEST(Params, NextReadsOneParameterAndItsTrailingSemicolon) {
  Scanner s("a=1 ; b");
  Param p;
  ASSERT_TRUE(Params::next(s, p));
  EXPECT_EQ(p.name, "a");
  EXPECT_EQ(p.value, "1");
  EXPECT_TRUE(p.has_value);
  EXPECT_EQ(s.rest(), "b");
  ASSERT_TRUE(Params::next(s, p));
  EXPECT_EQ(p.name, "b");
  EXPECT_FALSE(p.has_value);
  EXPECT_TRUE(s.done());
}

TEST(Params, NextFailsWithoutAName) {
  Scanner s("=1");
  Param p;
  EXPECT_FALSE(Params::next(s, p));
  Scanner t("a=");
  EXPECT_FALSE(Params::next(t, p));
}

TEST(Params, GetStopsAtTheFirstMalformedParameter) {
  // Params built from unchecked text: lookup walks until it cannot read any further.
  Params p{"a=1;;b=2"};
  EXPECT_EQ(p.get("a"), "1");
  EXPECT_FALSE(p.get("b").has_value());
}

}  // namespace
}  // namespace trapezoid::sip
