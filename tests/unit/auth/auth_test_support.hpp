// Helpers of the auth tests: a temporary directory, requests carrying digest credentials
// computed the way a client computes them.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "auth/digest.hpp"
#include "sip/auth_header.hpp"
#include "sip/message.hpp"
#include "sip/parser.hpp"

namespace trapezoid::auth::test {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "trapezoid-auth-XXXXXX").string();
    if (char* made = mkdtemp(pattern.data())) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What a client puts in its credentials.
struct ClientAnswer {
  std::string username = "alice";
  std::string password = "wonderland";
  std::string realm = "atlanta.com";
  std::string nonce;
  std::string uri = "sip:atlanta.com";
  DigestAlgorithm algorithm = DigestAlgorithm::kSha256;
  bool write_algorithm = true;
  std::string qop = "auth";  // "" for the RFC 2069 form
  std::string cnonce = "0a4f113b";
  std::uint32_t nc = 1;
  std::string method = "REGISTER";  // what the response is computed over
};

inline std::string credentials_value(const ClientAnswer& a) {
  const std::string ha1 =
      session_ha1(a.algorithm, digest_ha1(base_algorithm(a.algorithm), a.username, a.realm, a.password), a.nonce,
                  a.cnonce);
  char nc_text[9];
  std::snprintf(nc_text, sizeof nc_text, "%08x", a.nc);
  const std::string response = digest_response(a.algorithm, ha1, a.nonce, a.qop.empty() ? "" : nc_text,
                                               a.qop.empty() ? "" : a.cnonce, a.qop,
                                               digest_ha2(a.algorithm, a.method, a.uri));
  std::optional<std::string> v = sip::build_digest_credentials(
      {.username = a.username, .realm = a.realm, .nonce = a.nonce, .uri = a.uri, .response = response,
       .algorithm = a.write_algorithm ? algorithm_name(a.algorithm) : std::string_view(),
       .cnonce = a.qop.empty() ? std::string_view() : std::string_view(a.cnonce), .qop = a.qop, .nc = a.nc});
  return v.value_or("");
}

// A request that owns its bytes.
struct Request {
  std::string bytes;
  sip::Message message;
};

// A REGISTER (or `method`) to `request_uri` from/to `user`, with the given extra header lines.
inline bool make_request(Request& out, std::string_view extra_headers, std::string_view method = "REGISTER",
                         std::string_view request_uri = "sip:atlanta.com", std::string_view user = "alice") {
  out.bytes = std::string(method) + " " + std::string(request_uri) + " SIP/2.0\r\n" +
              "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7\r\n"
              "Max-Forwards: 70\r\n"
              "To: <sip:" + std::string(user) + "@atlanta.com>\r\n"
              "From: <sip:" + std::string(user) + "@atlanta.com>;tag=456248\r\n"
              "Call-ID: 843817637684230@998sdasdh09\r\n"
              "CSeq: 1826 " + std::string(method) + "\r\n"
              "Contact: <sip:" + std::string(user) + "@192.0.2.4>\r\n" +
              std::string(extra_headers) + "Content-Length: 0\r\n\r\n";
  return sip::parse_datagram(out.bytes, out.message).ok();
}

}  // namespace trapezoid::auth::test
