// Test helpers: REGISTER requests built as wire text and parsed with the real parser, and the
// registrar's responses parsed back into what the tests check.
//
//   RegisterText r;                       // RFC 3261 §24.1 F1 style, to biloxi.com
//   r.contacts = {"<sip:bob@192.0.2.4>;expires=600"};
//   sip::Message msg = parse_message(r.text());
//   ParsedResponse resp = parse_response(outcome.response);
//   resp.contacts[0].expires;             // 600
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/contact.hpp"
#include "sip/header_list.hpp"
#include "sip/message.hpp"
#include "sip/parser.hpp"

namespace trapezoid::registrar::testing {

inline std::string crlf_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out.append(l).append("\r\n");
  return out;
}

// A REGISTER under construction; text() writes it.
struct RegisterText {
  std::string request_uri = "sip:biloxi.com";
  std::string to = "Bob <sip:bob@biloxi.com>";
  std::string from = "Bob <sip:bob@biloxi.com>;tag=456248";
  std::string call_id = "843817637684230@998sdasdh09";
  std::uint32_t cseq = 1826;
  std::vector<std::string> contacts;     // one Contact header line each
  std::optional<std::string> expires;    // Expires header value
  std::vector<std::pair<std::string, std::string>> headers;  // any others, in order

  [[nodiscard]] std::string text() const {
    std::vector<std::string> lines = {
        "REGISTER " + request_uri + " SIP/2.0",
        "Via: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7",
        "Max-Forwards: 70",
        "To: " + to,
        "From: " + from,
        "Call-ID: " + call_id,
        "CSeq: " + std::to_string(cseq) + " REGISTER",
    };
    for (const std::string& c : contacts) lines.push_back("Contact: " + c);
    if (expires) lines.push_back("Expires: " + *expires);
    for (const auto& [name, value] : headers) lines.push_back(name + ": " + value);
    lines.push_back("Content-Length: 0");
    lines.emplace_back();
    return crlf_lines(lines);
  }
};

// Parses `text` as one datagram; the Message owns its bytes.
inline sip::Message parse_message(std::string_view text) {
  sip::Message msg;
  const sip::ParseResult r = sip::parse_datagram(text, msg);
  EXPECT_TRUE(r.ok()) << r.error.reason << "\n" << text;
  msg.own();
  return msg;
}

struct ResponseContact {
  std::string uri;
  std::int64_t expires = -1;
  int q = -1;
  std::string params;  // all contact parameters as written
};

struct ParsedResponse {
  sip::Message msg;
  int status = 0;
  std::vector<ResponseContact> contacts;
  [[nodiscard]] std::string header(sip::HeaderId id) const {
    const sip::HeaderField* h = msg.find(id);
    return h == nullptr ? std::string() : std::string(h->value);
  }
};

inline ParsedResponse parse_response(std::string_view bytes) {
  ParsedResponse out;
  out.msg = parse_message(bytes);
  out.status = out.msg.status_code();
  const bool ok = sip::for_each_scanned<sip::Contact>(out.msg, sip::HeaderId::kContact, sip::scan_contact,
                                                      [&](const sip::Contact& c) {
                                                        out.contacts.push_back({std::string(c.address.uri), c.expires,
                                                                                c.q, std::string(c.address.params.raw())});
                                                      });
  EXPECT_TRUE(ok) << bytes;
  return out;
}

}  // namespace trapezoid::registrar::testing
