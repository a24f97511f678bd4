// The 538 messages of other stacks' test suites (shared/conformance/external), read in place.
// Every message is a robustness probe for the parser and for `trapezoid lint`; a labelled one
// must get its label (valid: a server accepts it; invalid: it answers with an error or drops
// it) unless RFC 3261 says otherwise, and each such case is listed below with the section.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "corpus.hpp"
#include "sip/inspect.hpp"

namespace trapezoid::conformance {
namespace {

const std::vector<std::string> kFolders = {"jain-sip", "sofia-sip", "resiprocate", "kamailio", "pjsip"};

// Where RFC 3261 and a source's label disagree: "folder/file" -> the reason, with the section.
const std::map<std::string, std::string>& label_exceptions() {
  // The rules, each stated once.
  const std::string ws_in_uri =
      "§25.1: no whitespace inside a URI; LAQUOT/RAQUOT allow SWS only outside the brackets "
      "(RFC 4475 §3.1.2.14 badaspec must be rejected), and a fold inside <...> is whitespace";
  const std::string cl_exceeds =
      "§18.3: a datagram whose Content-Length exceeds the octets that follow is rejected (the body's "
      "CRLFs became LFs in the source, so it is shorter than declared)";
  const std::string hcolon =
      "§7.3.1/§25.1 HCOLON = *( SP / HTAB ) \":\" SWS: no line fold between a header name and its colon";
  const std::string received =
      "§20.42/§25.1: via-received is an IPv4 or IPv6 address; '3comI' is not even a host name";
  const std::string trailing_bytes =
      "§18.3 and RFC 4475 §3.1.1.8: octets after Content-Length's body in a datagram are ignored, "
      "so the first message stands (the source parsed these as a stream)";
  const std::string missing_headers =
      "§8.1.1 and §8.2.6.2: a response carries From, To and Call-ID; this one has none of them";
  const std::string blank_line =
      "§7: the header section ends with an empty line; a line holding one space is a folded "
      "continuation, so the SDP that follows is read as header lines";
  const std::string no_blank_line =
      "§7: the empty line closing the first message's header section is missing, so the next "
      "start line is read as a header line";
  const std::string hex_literal =
      "§7.2: the file holds the literal text '<hex>20</hex>' where the space after the status code "
      "belongs, which is not a Status-Line";
  const std::string extra_sp =
      "RFC 4475 §3.1.2.9 lets a receiver accept extra SP between the parts of the Request-Line, and "
      "this parser does, like sofia-sip (whose test23 labels the same line valid)";
  const std::string expires_date =
      "§20.19: Expires is delta-seconds in RFC 3261; the RFC 2543 SIP-date form was removed";
  static const std::map<std::string, std::string> exceptions = {
      {"jain-sip/torture-004.sip", extra_sp},
      {"jain-sip/torture-014.sip", blank_line},
      {"jain-sip/torture-015.sip", ws_in_uri},
      {"jain-sip/torture-018.sip", hcolon},
      {"jain-sip/torture-025.sip", missing_headers},
      {"jain-sip/torture-060.sip", cl_exceeds},
      {"jain-sip/torture-062.sip", received},
      {"jain-sip/torture-083.sip", cl_exceeds},
      {"jain-sip/torture-137.sip", ws_in_uri},
      {"jain-sip/torture-143.sip", ws_in_uri},
      {"jain-sip/torture-145.sip", ws_in_uri},
      {"jain-sip/torture-147.sip", ws_in_uri},
      {"jain-sip/torture-149.sip", ws_in_uri},
      {"jain-sip/torture-153.sip", ws_in_uri},
      {"jain-sip/torture-154.sip", ws_in_uri},
      {"jain-sip/torture-155.sip", ws_in_uri},
      {"jain-sip/torture-156.sip", ws_in_uri},
      {"jain-sip/torture-205.sip", cl_exceeds},
      {"jain-sip/torture-230.sip", ws_in_uri},
      {"jain-sip/torture-337.sip", ws_in_uri},
      {"jain-sip/torture-340.sip", ws_in_uri},
      {"jain-sip/torture-344.sip", ws_in_uri},
      {"jain-sip/torture-345.sip", ws_in_uri},
      {"jain-sip/torture-352.sip", cl_exceeds},
      {"jain-sip/torture-354.sip", cl_exceeds},
      {"jain-sip/torture-358.sip", cl_exceeds},
      {"jain-sip/torture-359.sip", no_blank_line},
      {"jain-sip/torture-363.sip", cl_exceeds},
      {"jain-sip/torture-364.sip", hex_literal},
      {"jain-sip/torture-390.sip", cl_exceeds},
      {"jain-sip/torture-392.sip", cl_exceeds},
      {"jain-sip/torture-394.sip", cl_exceeds},
      {"jain-sip/torture-399.sip", cl_exceeds},
      {"sofia-sip/own6.txt", ws_in_uri},
      {"sofia-sip/test1.txt", hcolon},
      {"sofia-sip/test10.txt", trailing_bytes},
      {"sofia-sip/test18.txt", trailing_bytes},
      {"sofia-sip/test4.txt", expires_date},
      {"resiprocate/SipTortureTests-2.10.sip", trailing_bytes},
  };
  return exceptions;
}

std::string folder_dir(const std::string& folder) { return shared_dir() + "/conformance/external/" + folder; }

class ExternalTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ExternalTest, LabelsHoldAndNothingCrashes) {
  const std::string dir = folder_dir(GetParam());
  std::vector<ManifestRow> rows = read_manifest(dir + "/MANIFEST.tsv");
  ASSERT_FALSE(rows.empty());
  std::ostringstream unexplained;
  int checked = 0;
  for (const ManifestRow& row : rows) {
    const std::string& file = row["file"];
    const std::string& label = row["expected"];
    std::string bytes = read_bytes(dir + "/" + file);
    sip::Message msg;
    sip::Inspection r = sip::inspect_datagram(bytes, msg);
    if (label != "valid" && label != "invalid") continue;
    ++checked;
    // "valid" labels judge syntax (each source's parser), not what a UAS then decides (416, 420,
    // 501): a well-formed message matches. "invalid" is matched by any error answer or drop.
    const bool matches = label == "valid" ? r.well_formed : !r.ok();
    const std::string ours = r.well_formed ? "well formed" : "malformed";
    if (matches) continue;
    if (label_exceptions().count(GetParam() + "/" + file) != 0) continue;
    unexplained << "  " << file << ": label " << label << ", ours " << ours << " (" << r.status << ' '
                << r.reason << ")\n";
  }
  EXPECT_TRUE(unexplained.str().empty()) << "labels not matched in " << GetParam() << " (" << checked
                                         << " labelled):\n" << unexplained.str();
}

// Runs the real `trapezoid lint` over a whole folder: it must answer every file with one line
// and exit 0 or 1, never crash.
TEST_P(ExternalTest, LintAnswersEveryFile) {
  const std::string dir = folder_dir(GetParam());
  std::vector<ManifestRow> rows = read_manifest(dir + "/MANIFEST.tsv");
  std::string cmd = std::string(TRAPEZOID_BINARY) + " lint";
  for (const ManifestRow& row : rows) cmd += " '" + dir + "/" + row["file"] + "'";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status)) << "lint did not exit normally";
  EXPECT_TRUE(WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1) << "exit " << WEXITSTATUS(status);
  std::istringstream lines(out);
  std::string line;
  std::size_t i = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(i, rows.size());
    const std::string prefix = dir + "/" + rows[i]["file"] + ": ";
    EXPECT_EQ(line.rfind(prefix, 0), 0u) << line;
    ++i;
  }
  EXPECT_EQ(i, rows.size());
}

INSTANTIATE_TEST_SUITE_P(Sources, ExternalTest, ::testing::ValuesIn(kFolders),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace trapezoid::conformance
