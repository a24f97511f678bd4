#include "sip/message.hpp"

#include <algorithm>
#include <cstring>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"
#include "sip/header_list.hpp"

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
  // Only the fields in use: a message is moved several times on its way up (transport ->
  // transaction layer), and most use a third of the inline slots.
  std::copy_n(other.inline_.begin(), std::min(header_count_, kInlineHeaders), inline_.begin());
  overflow_ = std::move(other.overflow_);
  first_ = other.first_;
  counts_ = other.counts_;
  owned_ = std::move(other.owned_);
  syntax_valid_ = other.syntax_valid_;
  top_via_state_ = other.top_via_state_;
  if (top_via_state_ == ParseCache::kParsed) top_via_ = other.top_via_;
  request_uri_state_ = other.request_uri_state_;
  if (request_uri_state_ == ParseCache::kParsed) parsed_request_uri_ = other.parsed_request_uri_;
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
  syntax_valid_ = false;
  top_via_state_ = ParseCache::kUnknown;
  request_uri_state_ = ParseCache::kUnknown;
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
  if (top_via_state_ == ParseCache::kParsed) {
    move(top_via_.protocol_name);
    move(top_via_.protocol_version);
    move(top_via_.transport);
    move(top_via_.host);
    move(top_via_.branch);
    move(top_via_.received);
    move(top_via_.maddr);
    std::string_view params = top_via_.params.raw();
    move(params);
    top_via_.params = Params(params);
  }
  if (request_uri_state_ == ParseCache::kParsed) {
    Uri& u = parsed_request_uri_;
    for (std::string_view* v : {&u.scheme_name, &u.user, &u.password, &u.host, &u.params, &u.headers, &u.opaque}) move(*v);
  }
}

std::string_view Message::top_via_text() const noexcept {
  const HeaderField* h = find(HeaderId::kVia);
  if (h == nullptr) return {};
  // Only the first field is split. Up to the first comma, with no quoted string (a generic
  // param's value) or '<' before it, the first element is plain text: the usual case, found
  // without walking the value byte by byte.
  const char* const begin = h->value.data();
  const char* const end = begin + h->value.size();
  const char* const comma = find_byte(begin, end, ',');
  const char* const stop = comma == nullptr ? end : comma;
  if (find_either(begin, stop, '"', '<') == nullptr)
    return trim_lws(std::string_view(begin, static_cast<std::size_t>(stop - begin)));
  std::string_view first;
  (void)for_each_list_element(h->value, [&](std::string_view e) {
    first = e;
    return false;
  });
  return first;
}

const Via* Message::top_via() const noexcept {
  if (top_via_state_ == ParseCache::kUnknown) {
    const std::string_view text = top_via_text();
    top_via_ = Via{};
    top_via_state_ = !text.empty() && parse_via(text, top_via_).empty() ? ParseCache::kParsed : ParseCache::kMalformed;
  }
  return top_via_state_ == ParseCache::kParsed ? &top_via_ : nullptr;
}

const Uri* Message::parsed_request_uri() const noexcept {
  if (request_uri_state_ == ParseCache::kUnknown) {
    parsed_request_uri_ = Uri{};
    request_uri_state_ = is_request_ && parse_uri(request_uri_, parsed_request_uri_).empty() ? ParseCache::kParsed
                                                                                               : ParseCache::kMalformed;
  }
  return request_uri_state_ == ParseCache::kParsed ? &parsed_request_uri_ : nullptr;
}

void Message::own_with_edit(std::size_t at, std::size_t erase, std::string_view insert) {
  const char* const old = raw_.data();
  const std::size_t size = raw_.size();
  if (at > size || erase > size - at) return;
  const std::size_t edit_end = at + erase;
  const std::size_t new_size = size - erase + insert.size();
  auto buf = std::make_unique_for_overwrite<char[]>(new_size == 0 ? 1 : new_size);
  char* const base = buf.get();
  if (at > 0) std::memcpy(base, old, at);
  if (!insert.empty()) std::memcpy(base + at, insert.data(), insert.size());
  if (size > edit_end) std::memcpy(base + at + insert.size(), old + edit_end, size - edit_end);
  // Offsets before the span stay; those after it move by the growth; those inside it land on
  // the span's new edges.
  const auto start_of = [&](std::size_t off) {
    return off <= at ? off : off >= edit_end ? off - erase + insert.size() : at + insert.size();
  };
  const auto end_of = [&](std::size_t off) {
    return off < at ? off : off >= edit_end ? off - erase + insert.size() : at + insert.size();
  };
  auto move = [&](std::string_view& v) {
    if (v.data() == nullptr || v.data() < old) return;
    const auto off = static_cast<std::size_t>(v.data() - old);
    if (off > size) return;  // not a view into the message bytes
    const std::size_t s = start_of(off);
    const std::size_t e = end_of(off + v.size());
    v = std::string_view(base + s, e - s);
  };
  move(method_name_);
  move(request_uri_);
  move(reason_);
  move(version_);
  move(body_);
  HeaderField* fields = overflow_.empty() ? inline_.data() : overflow_.data();
  for (std::size_t i = 0; i < header_count_; ++i) {
    move(fields[i].name);
    move(fields[i].value);
  }
  raw_ = std::string_view(base, new_size);
  top_via_state_ = ParseCache::kUnknown;
  request_uri_state_ = ParseCache::kUnknown;
  owned_ = std::move(buf);
}

void Message::own() {
  if (owned_ || raw_.empty()) return;
  auto buf = std::make_unique_for_overwrite<char[]>(raw_.size());
  std::memcpy(buf.get(), raw_.data(), raw_.size());
  rebase(raw_.data(), buf.get());
  owned_ = std::move(buf);
}

}  // namespace trapezoid::sip
