#include "lint_command.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "lint_json.hpp"
#include "sip/inspect.hpp"

namespace trapezoid::apps {
namespace {

constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;

bool read_file(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) {
    error = "cannot determine size (not a regular file?)";
    return false;
  }
  if (static_cast<std::size_t>(size) > kMaxFileBytes) {
    error = "larger than 16 MiB";
    return false;
  }
  in.seekg(0, std::ios::beg);
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// Only printable text goes to the terminal; anything else in a message is shown as '?'.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out.push_back((static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c);
  return out;
}

std::string summary_line(const std::string& file, const sip::Inspection& r, const sip::Message& msg) {
  std::ostringstream line;
  line << file << ": ";
  if (r.ok()) {
    line << "ok ";
    if (msg.is_request())
      line << printable(msg.method_name());
    else
      line << msg.status_code() << ' ' << printable(msg.reason_phrase());
    if (const sip::HeaderField* id = msg.find(sip::HeaderId::kCallId))
      line << " Call-ID: " << printable(id->value);
  } else if (r.is_response) {
    line << "invalid " << r.reason;
  } else {
    line << r.status << ' ' << r.reason;
    if (!r.detail.empty()) line << " (" << printable(r.detail) << ')';
  }
  return line.str();
}

}  // namespace

int run_lint(const LintOptions& options) {
  sip::ValidationPolicy policy;
  policy.role = options.role;
  int status = 0;
  bool first = true;
  if (options.json) std::cout << "[\n";
  for (const std::string& file : options.files) {
    std::string bytes, error;
    if (!read_file(file, bytes, error)) {
      std::cerr << file << ": cannot read: " << error << '\n';
      status = 2;
      continue;
    }
    sip::Message msg;
    sip::Inspection r = sip::inspect_datagram(bytes, msg, policy);
    if (!r.ok() && status == 0) status = 1;
    if (options.json) {
      std::cout << (first ? "" : ",\n") << lint_json(file, r, msg);
      first = false;
    } else {
      std::cout << summary_line(file, r, msg) << '\n';
    }
  }
  if (options.json) std::cout << "\n]\n";
  return status;
}

}  // namespace trapezoid::apps
