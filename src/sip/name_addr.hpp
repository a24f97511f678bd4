// name-addr / addr-spec with header parameters: the value shape of From, To, Contact, Route,
// Record-Route, Reply-To, Path and friends (RFC 3261 §20.10, §20.20, §20.39, §25.1).
//
//   NameAddr a;
//   if (parse_name_addr(R"("Bob" <sip:bob@biloxi.com>;tag=a6c85cf)", a).empty())
//     a.uri;   // "sip:bob@biloxi.com";  a.params.get("tag") -> "a6c85cf"
#pragma once

#include <string_view>

#include "sip/params.hpp"
#include "sip/uri.hpp"

namespace trapezoid::sip {

struct NameAddr {
  // The display name as written: a quoted-string with its quotes, or a run of tokens; empty
  // when absent.
  std::string_view display_name;
  std::string_view uri;  // the URI text, without < >
  Uri parsed_uri;        // `uri` parsed
  bool angle_brackets = false;
  Params params;
  std::string_view tag;  // the tag parameter (From/To, §19.3); empty when absent
};

enum class AddrForm : unsigned char {
  kNameAddrOrAddrSpec,  // From, To, Contact, Reply-To
  kNameAddrOnly,        // Route, Record-Route, Path (rec-route = name-addr)
};

// A URI of the same message parsed before, with its text. A request's To often repeats its
// Request-URI (a request sent straight to the UAS): an address whose URI text is byte for
// byte the same takes a copy of this one, its views moved onto the address's own text,
// instead of parsing it again. `parsed` must be parse_uri(text)'s successful result.
struct KnownUri {
  std::string_view text;
  const Uri* parsed = nullptr;
};

// Parses one element. Returns "" on success, else a reason without the header's name
// ("Malformed Address"); the caller names the header.
[[nodiscard]] std::string_view parse_name_addr(std::string_view text, NameAddr& out,
                                               AddrForm form = AddrForm::kNameAddrOrAddrSpec,
                                               const KnownUri* known = nullptr) noexcept;

// Parses [display-name] <URI> or an addr-spec at the cursor, without the parameters that may
// follow: a building block for headers that read their own parameters (Contact).
[[nodiscard]] std::string_view scan_address(Scanner& s, NameAddr& out, AddrForm form) noexcept;

// Reads the parameters of a From/To value without parsing its URI, for a value parse_name_addr
// accepts (a message that passed validation): whether it has a tag parameter, and its value
// in `tag` (empty when it has none, or none given). The same scan as parse_name_addr's, less
// the URI: finding a transaction's or a dialog's tags needs no more.
[[nodiscard]] bool find_address_tag(std::string_view text, std::string_view& tag) noexcept;

// The unquoted display name ("Bob" -> Bob, with quoted-pairs resolved).
[[nodiscard]] std::string unquote(std::string_view quoted);

}  // namespace trapezoid::sip
