// The messages the parser benchmark times: three built-in RFC 3261 messages, or files given
// on the command line.
#pragma once

#include <string>
#include <vector>

namespace bench {

struct BenchMessage {
  std::string name;   // short label used in benchmark names and the ratio table
  std::string bytes;  // the whole datagram, CRLF line endings
};

// The RFC 3261 §4 INVITE (with an SDP offer), the §24.1 REGISTER and a 200 OK to the INVITE
// as it reaches Alice through two proxies (three Vias). Content-Length is computed from the
// body, so it is always right.
std::vector<BenchMessage> builtin_messages();

// Reads a file's bytes unchanged; throws std::runtime_error when it cannot be read.
BenchMessage message_from_file(const std::string& path);

}  // namespace bench
