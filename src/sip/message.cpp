#include "sip/message.hpp"

#include <cstring>

#include "sip/charset.hpp"

namespace trapezoid::sip {

Message::Message(Message&& other) noexcept { *this = std::move(other); }

Message& Message::operator=(Message&& other) noexcept {
  if (this == &other) return *this;
  is_request_ = other.is_request_;
  method_ = other.method_;
  status_code_ = other.status_code_;
  version_major_ = other.version_major_;
  version_minor_ = other.version_minor_;
  method_name_ = other.method_name_;
  request_uri_ = other.request_uri_;
  reason_ = other.reason_;
  version_ = other.version_;
  body_ = other.body_;
  raw_ = other.raw_;
  content_length_ = other.content_length_;
  repeated_single_ = other.repeated_single_;
  header_count_ = other.header_count_;
  inline_ = other.inline_;
  overflow_ = std::move(other.overflow_);
  first_ = other.first_;
  counts_ = other.counts_;
  owned_ = std::move(other.owned_);
  other.clear();
  return *this;
}

const HeaderField* Message::find(std::string_view name) const noexcept {
  HeaderId id = lookup_header(name);
  if (id != HeaderId::kUnknown) return find(id);
  for (const HeaderField& h : headers())
    if (h.id == HeaderId::kUnknown && charset::iequals(h.name, name)) return &h;
  return nullptr;
}

void Message::clear() noexcept {
  is_request_ = false;
  method_ = Method::kUnknown;
  status_code_ = version_major_ = version_minor_ = 0;
  method_name_ = request_uri_ = reason_ = version_ = body_ = raw_ = {};
  content_length_ = -1;
  repeated_single_ = HeaderId::kUnknown;
  // Only add_header makes these non-zero, so a message without fields has them clear already
  // (parse_datagram clears the message a transport has just cleared).
  if (header_count_ != 0) {
    first_.fill(0);
    counts_.fill(0);
  }
  header_count_ = 0;
  overflow_.clear();
  owned_.reset();
}

void Message::rebase(const char* old_base, const char* new_base) noexcept {
  const std::size_t size = raw_.size();
  auto move = [&](std::string_view& v) {
    if (v.data() == nullptr) return;
    auto off = static_cast<std::size_t>(v.data() - old_base);
    if (v.data() < old_base || off > size) return;  // not a view into the message bytes
    v = std::string_view(new_base + off, v.size());
  };
  move(method_name_);
  move(request_uri_);
  move(reason_);
  move(version_);
  move(body_);
  move(raw_);
  HeaderField* fields = overflow_.empty() ? inline_.data() : overflow_.data();
  for (std::size_t i = 0; i < header_count_; ++i) {
    move(fields[i].name);
    move(fields[i].value);
  }
}

void Message::own() {
  if (owned_ || raw_.empty()) return;
  auto buf = std::make_unique<char[]>(raw_.size());
  std::memcpy(buf.get(), raw_.data(), raw_.size());
  rebase(raw_.data(), buf.get());
  owned_ = std::move(buf);
}

}  // namespace trapezoid::sip
