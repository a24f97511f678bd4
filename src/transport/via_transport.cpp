#include "transport/via_transport.hpp"

#include "sip/message.hpp"
#include "sip/parser.hpp"
#include "sip/scanner.hpp"
#include "sip/via.hpp"

namespace trapezoid::transport {

bool set_top_via_transport(std::string_view bytes, TransportKind kind, std::string& out) {
  sip::Message msg;
  if (!sip::parse_datagram(bytes, msg).ok() || !msg.is_request()) return false;
  const sip::HeaderField* field = msg.find(sip::HeaderId::kVia);
  if (field == nullptr) return false;
  sip::Scanner s(field->value);
  sip::Via top;
  if (!sip::scan_via(s, top).empty() || top.transport.empty()) return false;
  // The token is a view into `bytes` (the parse is in place): replace exactly its characters.
  const char* begin = bytes.data();
  if (top.transport.data() < begin || top.transport.data() + top.transport.size() > begin + bytes.size())
    return false;
  const auto at = static_cast<std::size_t>(top.transport.data() - begin);
  const std::string_view token = to_string(kind);
  out.clear();
  out.reserve(bytes.size() + token.size());
  out.append(bytes.substr(0, at));
  out.append(token);
  out.append(bytes.substr(at + top.transport.size()));
  return true;
}

}  // namespace trapezoid::transport
