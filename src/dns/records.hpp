// DNS resource records as the RFC 3263 procedure needs them (RFC 1035 §3.2, RFC 2782 SRV,
// RFC 3403 NAPTR), and the parse of a response message into them.
//
//   DnsResponse r;
//   if (parse_response(answer_bytes, r)) for (const ResourceRecord& rr : r.answers) ...
//
// Plain values: no c-ares types leave this layer's .cpp files.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "transport/endpoint.hpp"

namespace trapezoid::dns {

enum class RecordType : std::uint16_t { kA = 1, kCname = 5, kSoa = 6, kAaaa = 28, kSrv = 33, kNaptr = 35 };

// "A", "SRV", ...: for log lines and cache keys.
[[nodiscard]] std::string_view to_string(RecordType type) noexcept;

struct SrvData {
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint16_t port = 0;
  std::string target;  // no trailing dot; "." (RFC 2782: the service is not available here)
};

struct NaptrData {
  std::uint16_t order = 0;
  std::uint16_t preference = 0;
  std::string flags;     // "s": the replacement names SRV records (RFC 3263 §4.1)
  std::string services;  // "SIP+D2U", "SIP+D2T", "SIPS+D2T", ...
  std::string regexp;
  std::string replacement;
};

struct ResourceRecord {
  std::string name;  // owner, no trailing dot
  RecordType type = RecordType::kA;
  std::uint32_t ttl = 0;
  // A/AAAA: the address; CNAME: the canonical name; SRV; NAPTR. SOA records are not kept.
  std::variant<transport::IpAddress, std::string, SrvData, NaptrData> data;
};

struct DnsResponse {
  int rcode = 0;
  std::vector<ResourceRecord> answers;
  std::vector<ResourceRecord> additional;
  // RFC 2308 §5: a negative answer lives for the SOA's minimum field (bounded by its TTL).
  std::optional<std::uint32_t> negative_ttl;
};

// Parses a whole DNS message (header, question, answer, authority, additional). Records of
// other types are skipped. false when the message is truncated or malformed.
[[nodiscard]] bool parse_response(std::span<const std::uint8_t> message, DnsResponse& out);

// Case-insensitive comparison of domain names (RFC 4343), ignoring one trailing dot.
[[nodiscard]] bool same_name(std::string_view a, std::string_view b) noexcept;
// Lower case, no trailing dot: the form names are compared and cached in.
[[nodiscard]] std::string canonical_name(std::string_view name);

}  // namespace trapezoid::dns
