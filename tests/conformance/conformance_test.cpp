// RFC 4475 and RFC 5118 torture messages: each file, read in place, must give the outcome its
// MANIFEST.tsv names. The `expected` column is interpreted clause by clause:
//   "parse OK; UAS 415"  -> the parser accepts it, and a UAS answers 415
//   "proxy 483; UAS process normally" -> each role judged separately
//   "respond 416 (or 404)", "reject 400 or accept" -> any alternative will do
#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

#include "corpus.hpp"
#include "sip/inspect.hpp"

namespace trapezoid::conformance {
namespace {

using sip::Inspection;
using sip::Role;

struct Case {
  std::string folder, file, expected;
};

std::vector<Case> load(const std::string& folder) {
  std::vector<Case> out;
  for (const ManifestRow& row : read_manifest(shared_dir() + "/conformance/" + folder + "/MANIFEST.tsv"))
    out.push_back({folder, row["file"], row["expected"]});
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(sep, start);
    out.push_back(trim(s.substr(start, at - start)));
    if (at == std::string::npos) return out;
    start = at + sep.size();
  }
}

struct Judgements {
  bool parsed = false;
  bool well_formed = false;
  bool is_response = false;
  Inspection uas, proxy, registrar;
  const Inspection& by(Role r) const {
    return r == Role::kProxy ? proxy : r == Role::kRegistrar ? registrar : uas;
  }
};

Judgements judge(const std::string& bytes) {
  Judgements j;
  for (Role role : {Role::kUas, Role::kProxy, Role::kRegistrar}) {
    sip::ValidationPolicy policy;
    policy.role = role;
    sip::Message msg;
    Inspection r = sip::inspect_datagram(bytes, msg, policy);
    j.parsed = r.parsed;
    j.well_formed = r.well_formed;
    j.is_response = r.is_response;
    (role == Role::kUas ? j.uas : role == Role::kProxy ? j.proxy : j.registrar) = r;
  }
  return j;
}

// Whether one alternative of a clause holds; `why` describes what was seen.
bool alternative_holds(std::string alt, Role role, bool parse_only, const Judgements& j,
                       bool tolerate_drop) {
  const Inspection& v = j.by(role);
  // "parse OK": well formed. Alone, it also means a UAS takes the request, save that §8.2.1
  // answers an extension method it does not implement with 501 (intmeth, esc02).
  if (alt == "parse OK")
    return j.well_formed && (parse_only || v.ok() || (v.status == 501 && v.reason == "Not Implemented"));
  if (alt == "accept" || alt == "ignore" || alt == "process normally" || alt == "use RFC 2543 matching")
    return v.ok();
  if (alt == "drop response") {
    // A well-formed response that a client drops for want of a matching transaction (bcast) is
    // the transaction layer's business; at this layer it must parse.
    if (tolerate_drop) return j.is_response && v.ok();
    return j.is_response && !v.ok();
  }
  for (const char* verb : {"reject ", "respond "})
    if (alt.rfind(verb, 0) == 0) alt = alt.substr(std::string(verb).size());
  int code = std::atoi(alt.c_str());
  if (code == 200) return v.ok();
  return code != 0 && v.status == code && !j.is_response;
}

void check_expected(const std::string& expected, const Judgements& j) {
  std::vector<std::string> clauses = split(expected, ";");
  bool has_role_clause = false;
  bool has_parse_ok = false;
  for (const std::string& c : clauses) {
    has_role_clause |= c.rfind("proxy ", 0) == 0 || c.rfind("UAS ", 0) == 0 || c.rfind("registrar ", 0) == 0;
    has_parse_ok |= c == "parse OK";
  }
  for (std::string clause : clauses) {
    Role role = Role::kUas;
    bool role_given = true;
    if (clause.rfind("proxy ", 0) == 0) role = Role::kProxy, clause = clause.substr(6);
    else if (clause.rfind("UAS ", 0) == 0) role = Role::kUas, clause = clause.substr(4);
    else if (clause.rfind("registrar ", 0) == 0) role = Role::kRegistrar, clause = clause.substr(10);
    else role_given = false;
    // "(or 404)" and "(400 acceptable)" are alternatives too.
    for (auto [from, to] : {std::pair<std::string, std::string>{"(or ", " or "}, {"(", " or "}}) {
      if (std::size_t at = clause.find(from); at != std::string::npos) clause.replace(at, from.size(), to);
    }
    for (const char* noise : {")", " acceptable"})
      for (std::size_t at; (at = clause.find(noise)) != std::string::npos;) clause.erase(at, std::strlen(noise));
    bool holds = false;
    for (const std::string& alt : split(clause, " or "))
      holds = holds || alternative_holds(alt, role, !role_given && has_role_clause, j, has_parse_ok);
    std::ostringstream seen;
    seen << "parsed=" << j.parsed << " uas=" << j.uas.status << " '" << j.uas.reason << "' proxy="
         << j.proxy.status << " '" << j.proxy.reason << "' registrar=" << j.registrar.status << " '"
         << j.registrar.reason << "'";
    EXPECT_TRUE(holds) << "clause '" << clause << "' of '" << expected << "' does not hold; " << seen.str();
  }
}

class TortureTest : public ::testing::TestWithParam<Case> {};

TEST_P(TortureTest, GivesManifestOutcome) {
  const Case& c = GetParam();
  const std::string dir = shared_dir() + "/conformance/" + c.folder + "/";
  std::string bytes = read_bytes(dir + c.file);
  // Step 1 of the data's README: the bytes must be exactly the published ones.
  for (const ManifestRow& row : read_manifest(dir + "MANIFEST.tsv")) {
    if (row["file"] != c.file) continue;
    ASSERT_EQ(std::to_string(bytes.size()), row["bytes"]) << "size changed: line endings rewritten?";
    ASSERT_EQ(sha256_hex(bytes), row["sha256"]);
  }
  if (c.folder == "rfc5118") bytes = rfc5118_wire_form(bytes);
  check_expected(c.expected, judge(bytes));
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.file.substr(0, info.param.file.rfind('.'));
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Rfc4475, TortureTest, ::testing::ValuesIn(load("rfc4475")), case_name);
INSTANTIATE_TEST_SUITE_P(Rfc5118, TortureTest, ::testing::ValuesIn(load("rfc5118")), case_name);

}  // namespace
}  // namespace trapezoid::conformance
