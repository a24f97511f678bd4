#include "dns/records.hpp"

#include <ares.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "sip/charset.hpp"

namespace trapezoid::dns {
namespace {

// A bounds-checked reader over one DNS message; names are expanded by c-ares (RFC 1035 §4.1.4
// compression pointers).
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> msg) : msg_(msg) {}

  [[nodiscard]] bool u16(std::uint16_t& v) {
    if (pos_ + 2 > msg_.size()) return false;
    v = static_cast<std::uint16_t>((msg_[pos_] << 8) | msg_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  [[nodiscard]] bool u32(std::uint32_t& v) {
    std::uint16_t hi = 0;
    std::uint16_t lo = 0;
    if (!u16(hi) || !u16(lo)) return false;
    v = (static_cast<std::uint32_t>(hi) << 16) | lo;
    return true;
  }
  [[nodiscard]] bool name(std::string& out) { return name_at(pos_, out); }
  [[nodiscard]] bool name_at(std::size_t& at, std::string& out) {
    if (at >= msg_.size()) return false;
    char* expanded = nullptr;
    long consumed = 0;
    if (ares_expand_name(msg_.data() + at, msg_.data(), static_cast<int>(msg_.size()), &expanded, &consumed) !=
        ARES_SUCCESS)
      return false;
    out.assign(expanded);
    ares_free_string(expanded);
    at += static_cast<std::size_t>(consumed);
    return true;
  }
  // RFC 1035 §3.3: <character-string>, one length byte then the bytes.
  [[nodiscard]] bool character_string(std::size_t& at, std::size_t end, std::string& out) {
    if (at >= end) return false;
    const std::size_t len = msg_[at];
    if (at + 1 + len > end) return false;
    out.assign(reinterpret_cast<const char*>(msg_.data() + at + 1), len);
    at += 1 + len;
    return true;
  }
  [[nodiscard]] bool skip(std::size_t n) {
    if (pos_ + n > msg_.size()) return false;
    pos_ += n;
    return true;
  }
  [[nodiscard]] std::size_t pos() const noexcept { return pos_; }
  [[nodiscard]] std::span<const std::uint8_t> bytes(std::size_t at, std::size_t n) const {
    return msg_.subspan(at, n);
  }

 private:
  std::span<const std::uint8_t> msg_;
  std::size_t pos_ = 0;
};

// One resource record; `keep` is false for types this layer does not use. A SOA's minimum
// lands in `soa_minimum`.
bool read_record(Reader& r, ResourceRecord& rr, bool& keep, std::optional<std::uint32_t>& soa_minimum) {
  std::uint16_t type = 0;
  std::uint16_t cls = 0;
  std::uint16_t rdlength = 0;
  if (!r.name(rr.name) || !r.u16(type) || !r.u16(cls) || !r.u32(rr.ttl) || !r.u16(rdlength)) return false;
  const std::size_t start = r.pos();
  const std::size_t end = start + rdlength;
  if (!r.skip(rdlength)) return false;
  keep = false;
  if (cls != 1) return true;  // IN only
  rr.type = static_cast<RecordType>(type);
  std::size_t at = start;
  switch (rr.type) {
    case RecordType::kA: {
      if (rdlength != 4) return false;
      std::array<std::uint8_t, 4> b{};
      std::memcpy(b.data(), r.bytes(start, 4).data(), 4);
      rr.data = transport::IpAddress::v4(b);
      break;
    }
    case RecordType::kAaaa: {
      if (rdlength != 16) return false;
      std::array<std::uint8_t, 16> b{};
      std::memcpy(b.data(), r.bytes(start, 16).data(), 16);
      rr.data = transport::IpAddress::v6(b);
      break;
    }
    case RecordType::kCname: {
      std::string target;
      if (!r.name_at(at, target)) return false;
      rr.data = std::move(target);
      break;
    }
    case RecordType::kSrv: {
      if (rdlength < 7) return false;
      const auto b = r.bytes(start, 6);
      SrvData srv;
      srv.priority = static_cast<std::uint16_t>((b[0] << 8) | b[1]);
      srv.weight = static_cast<std::uint16_t>((b[2] << 8) | b[3]);
      srv.port = static_cast<std::uint16_t>((b[4] << 8) | b[5]);
      at += 6;
      if (!r.name_at(at, srv.target)) return false;
      if (srv.target.empty()) srv.target = ".";  // the root: "decidedly not available"
      rr.data = std::move(srv);
      break;
    }
    case RecordType::kNaptr: {
      if (rdlength < 7) return false;
      const auto b = r.bytes(start, 4);
      NaptrData n;
      n.order = static_cast<std::uint16_t>((b[0] << 8) | b[1]);
      n.preference = static_cast<std::uint16_t>((b[2] << 8) | b[3]);
      at += 4;
      if (!r.character_string(at, end, n.flags) || !r.character_string(at, end, n.services) ||
          !r.character_string(at, end, n.regexp) || !r.name_at(at, n.replacement))
        return false;
      rr.data = std::move(n);
      break;
    }
    case RecordType::kSoa: {
      // MNAME, RNAME, then SERIAL REFRESH RETRY EXPIRE MINIMUM: the minimum is the last field.
      if (rdlength < 20) return false;
      const auto b = r.bytes(end - 4, 4);
      const std::uint32_t minimum = (static_cast<std::uint32_t>(b[0]) << 24) | (static_cast<std::uint32_t>(b[1]) << 16) |
                                    (static_cast<std::uint32_t>(b[2]) << 8) | b[3];
      soa_minimum = std::min(minimum, rr.ttl);
      return true;
    }
    default:
      return true;
  }
  if (at > end) return false;
  keep = true;
  return true;
}

}  // namespace

std::string_view to_string(RecordType type) noexcept {
  switch (type) {
    case RecordType::kA: return "A";
    case RecordType::kCname: return "CNAME";
    case RecordType::kSoa: return "SOA";
    case RecordType::kAaaa: return "AAAA";
    case RecordType::kSrv: return "SRV";
    case RecordType::kNaptr: return "NAPTR";
  }
  return "?";
}

bool parse_response(std::span<const std::uint8_t> message, DnsResponse& out) {
  out = DnsResponse{};
  Reader r(message);
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  std::uint16_t qd = 0;
  std::uint16_t an = 0;
  std::uint16_t ns = 0;
  std::uint16_t ar = 0;
  if (!r.u16(id) || !r.u16(flags) || !r.u16(qd) || !r.u16(an) || !r.u16(ns) || !r.u16(ar)) return false;
  out.rcode = flags & 0x0f;
  for (std::uint16_t i = 0; i < qd; ++i) {
    std::string qname;
    if (!r.name(qname) || !r.skip(4)) return false;
  }
  std::optional<std::uint32_t> soa_minimum;
  auto section = [&](std::uint16_t count, std::vector<ResourceRecord>* into) {
    for (std::uint16_t i = 0; i < count; ++i) {
      ResourceRecord rr;
      bool keep = false;
      if (!read_record(r, rr, keep, soa_minimum)) return false;
      if (keep && into != nullptr) into->push_back(std::move(rr));
    }
    return true;
  };
  if (!section(an, &out.answers) || !section(ns, nullptr) || !section(ar, &out.additional)) return false;
  out.negative_ttl = soa_minimum;
  return true;
}

bool same_name(std::string_view a, std::string_view b) noexcept {
  if (!a.empty() && a.back() == '.') a.remove_suffix(1);
  if (!b.empty() && b.back() == '.') b.remove_suffix(1);
  return sip::charset::iequals(a, b);
}

std::string canonical_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

}  // namespace trapezoid::dns
