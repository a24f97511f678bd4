#include "corpus.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace trapezoid::conformance {

std::string shared_dir() {
  if (const char* env = std::getenv("TRAPEZOID_SHARED_DIR"); env != nullptr && *env != '\0') return env;
  return TRAPEZOID_SHARED_DIR;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<ManifestRow> read_manifest(const std::string& path) {
  std::istringstream in(read_bytes(path));
  std::string line;
  std::vector<std::string> columns;
  std::vector<ManifestRow> rows;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
      std::size_t tab = s.find('\t', start);
      out.push_back(s.substr(start, tab - start));
      if (tab == std::string::npos) return out;
      start = tab + 1;
    }
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells = split(line);
    if (columns.empty()) {
      columns = cells;
      continue;
    }
    ManifestRow row;
    for (std::size_t i = 0; i < columns.size(); ++i) row.fields[columns[i]] = i < cells.size() ? cells[i] : "";
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

std::string rfc5118_wire_form(const std::string& file_bytes) {
  std::string crlf;
  for (char c : file_bytes) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::size_t end = crlf.find("\r\n\r\n");
  if (end == std::string::npos) {
    crlf += "\r\n";
    return crlf;
  }
  const std::size_t body_len = crlf.size() - (end + 4);
  if (body_len == 0) return crlf;
  std::string head = crlf.substr(0, end + 2);
  const std::string key = "\r\nContent-Length: ";
  std::size_t at = head.find(key);
  if (at != std::string::npos) {
    std::size_t value_end = head.find("\r\n", at + key.size());
    head.replace(at + key.size(), value_end - at - key.size(), std::to_string(body_len));
  }
  return head + crlf.substr(end + 2);
}

}  // namespace trapezoid::conformance
