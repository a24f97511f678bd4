// Loading the shared conformance data in place: MANIFEST.tsv rows, byte and SHA-256 checks,
// and the RFC 5118 wire conversion its README prescribes.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace trapezoid::conformance {

// The shared data directory (beside the checkout, or TRAPEZOID_SHARED_DIR at run time).
std::string shared_dir();

struct ManifestRow {
  std::map<std::string, std::string> fields;  // column name -> value
  const std::string& operator[](const std::string& column) const { return fields.at(column); }
};

// Reads a tab-separated manifest with a header row. Throws std::runtime_error if unreadable.
std::vector<ManifestRow> read_manifest(const std::string& path);

std::string read_bytes(const std::string& path);
std::string sha256_hex(const std::string& bytes);

// RFC 5118 files as they would be sent: LF -> CRLF, a closing empty line added when missing,
// and Content-Length set to the converted body's length where a body exists.
std::string rfc5118_wire_form(const std::string& file_bytes);

}  // namespace trapezoid::conformance
