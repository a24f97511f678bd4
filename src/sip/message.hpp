// A parsed SIP message (RFC 3261 §7): start line, header fields, body.
//
//   Message msg;
//   ParseResult r = parse_datagram(bytes, msg);   // see parser.hpp
//   if (r.ok()) for (const HeaderField& h : msg.headers()) ...
//
// Zero-copy: every string_view points into the bytes that were parsed. Those bytes are either
// borrowed (the caller keeps them alive and unchanged for the Message's lifetime) or owned by
// the Message after own(). Up to kInlineHeaders header fields live inside the Message itself,
// so parsing a typical message allocates nothing.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "sip/header_id.hpp"
#include "sip/method.hpp"
#include "sip/uri.hpp"
#include "sip/via.hpp"

namespace trapezoid::sip {

struct HeaderField {
  std::string_view name;   // as written on the wire (any case, maybe the compact form)
  std::string_view value;  // leading/trailing whitespace trimmed; folded lines kept as written
  HeaderId id = HeaderId::kUnknown;
};

class Message {
 public:
  // 24 covers what UAs and proxies send (10-20 fields); a longer header section moves to the heap.
  static constexpr std::size_t kInlineHeaders = 24;

  Message() = default;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  Message(Message&& other) noexcept;
  Message& operator=(Message&& other) noexcept;
  ~Message() = default;

  [[nodiscard]] bool is_request() const noexcept { return is_request_; }
  [[nodiscard]] bool is_response() const noexcept { return !is_request_; }

  // Request line (§7.1); empty for a response.
  [[nodiscard]] Method method() const noexcept { return method_; }
  [[nodiscard]] std::string_view method_name() const noexcept { return method_name_; }
  [[nodiscard]] std::string_view request_uri() const noexcept { return request_uri_; }
  // Status line (§7.2); 0 / empty for a request.
  [[nodiscard]] int status_code() const noexcept { return status_code_; }
  [[nodiscard]] std::string_view reason_phrase() const noexcept { return reason_; }
  // "SIP/2.0" as written (the version is case-insensitive, §7.1).
  [[nodiscard]] std::string_view version() const noexcept { return version_; }
  [[nodiscard]] int version_major() const noexcept { return version_major_; }
  [[nodiscard]] int version_minor() const noexcept { return version_minor_; }

  [[nodiscard]] std::span<const HeaderField> headers() const noexcept {
    return {header_data(), header_count_};
  }
  // First field with this id, or nullptr. O(1).
  [[nodiscard]] const HeaderField* find(HeaderId id) const noexcept {
    const std::uint16_t i = first_[static_cast<std::size_t>(id)];
    return i == 0 ? nullptr : header_data() + (i - 1);
  }
  // First field with this name (case-insensitive, compact forms resolved), or nullptr.
  [[nodiscard]] const HeaderField* find(std::string_view name) const noexcept;
  // How many fields (lines, not list elements) carry this id. O(1).
  [[nodiscard]] std::size_t count(HeaderId id) const noexcept {
    return counts_[static_cast<std::size_t>(id)];
  }
  // The first single-value header (§7.3.1) that appears more than once, or kUnknown.
  [[nodiscard]] HeaderId repeated_single_header() const noexcept { return repeated_single_; }

  // The first element of the first Via field, parsed; nullptr when there is none or it is
  // malformed. Parsed on first use and kept, since the transport, the transaction layer and a
  // proxy all read the top Via of the same message. Its views point into the message bytes.
  [[nodiscard]] const Via* top_via() const noexcept;
  // The text of that element (LWS trimmed), "" when there is no Via field.
  [[nodiscard]] std::string_view top_via_text() const noexcept;
  // The Request-URI, parsed (parse_uri); nullptr for a response or a malformed URI. Parsed on
  // first use and kept, since validation, the proxy and the registrar all read it. Its views
  // point into the message bytes.
  [[nodiscard]] const Uri* parsed_request_uri() const noexcept;

  // Whoever ran validate_syntax() (a request) or validate_response() on this message and saw
  // it pass says so here (the transport does, for every message it receives); validate_request()
  // and the tag readers then do not parse again what that checked. A new parse clears it; only
  // mark a message that passed.
  void mark_syntax_valid() noexcept { syntax_valid_ = true; }
  [[nodiscard]] bool syntax_valid() const noexcept { return syntax_valid_; }
  // Calls f(const HeaderField&) for every field with this id, in message order.
  template <class F>
  void for_each(HeaderId id, F&& f) const {
    std::size_t left = count(id);
    if (left == 0) return;
    // From the first such field on: the fields before it cannot match. (find() knows it
    // unless the field came after the 65535th, which only a raised max_headers allows.)
    const HeaderField* h = find(id);
    if (h == nullptr) h = header_data();
    for (const HeaderField* const end = header_data() + header_count_; h != end; ++h) {
      if (h->id != id) continue;
      f(*h);
      if (--left == 0) return;
    }
  }

  // The Content-Length value, or -1 when the header is absent.
  [[nodiscard]] std::int64_t content_length() const noexcept { return content_length_; }
  [[nodiscard]] std::string_view body() const noexcept { return body_; }
  // The whole message, start line to end of body (excludes trailing bytes of a datagram).
  [[nodiscard]] std::string_view raw() const noexcept { return raw_; }

  // Copies the borrowed bytes into a buffer the Message owns, so it may outlive them.
  void own();
  // The same, with `erase` bytes at offset `at` of raw() replaced by `insert` on the way: for
  // an edit that keeps the message's structure (a transport adding Via parameters, §18.2.1),
  // so the views are moved rather than the message parsed again. Views that end inside or at
  // the edited span grow with it; the cached top Via and Request-URI are parsed again on next
  // use. The caller guarantees at + erase <= raw().size() and that the edit is syntactically
  // neutral.
  void own_with_edit(std::size_t at, std::size_t erase, std::string_view insert);
  [[nodiscard]] bool owns_bytes() const noexcept { return owned_ != nullptr; }

  // Resets to an empty message, keeping allocated capacity.
  void clear() noexcept;

 private:
  friend class MessageParser;

  // overflow_ holds the fields exactly when there are more than the inline slots: the count
  // alone tells, without the vector's two pointers.
  [[nodiscard]] const HeaderField* header_data() const noexcept {
    return header_count_ > kInlineHeaders ? overflow_.data() : inline_.data();
  }
  // Inline: the parser calls it for every header field.
  void add_header(const HeaderField& h) {
    if (header_count_ < kInlineHeaders) {
      inline_[header_count_] = h;
    } else {
      if (overflow_.empty()) overflow_.assign(inline_.begin(), inline_.end());
      overflow_.push_back(h);
    }
    ++header_count_;
    auto id = static_cast<std::size_t>(h.id);
    std::uint16_t seen = counts_[id]++;
    if (seen == 0 && header_count_ <= 0xFFFF) first_[id] = static_cast<std::uint16_t>(header_count_);
    if (seen == 1 && repeated_single_ == HeaderId::kUnknown && header_kind(h.id) == HeaderKind::kSingle)
      repeated_single_ = h.id;
  }
  HeaderField& last_header() noexcept {
    return (header_count_ > kInlineHeaders ? overflow_.data() : inline_.data())[header_count_ - 1];
  }
  void rebase(const char* old_base, const char* new_base) noexcept;

  bool is_request_ = false;
  Method method_ = Method::kUnknown;
  int status_code_ = 0;
  int version_major_ = 0;
  int version_minor_ = 0;
  std::string_view method_name_, request_uri_, reason_, version_;
  std::string_view body_, raw_;
  std::int64_t content_length_ = -1;
  HeaderId repeated_single_ = HeaderId::kUnknown;

  std::size_t header_count_ = 0;
  std::array<HeaderField, kInlineHeaders> inline_{};
  std::vector<HeaderField> overflow_;  // used (holding all fields) past kInlineHeaders
  std::array<std::uint16_t, kHeaderIdCount> first_{};  // index + 1 of the first field per id
  std::array<std::uint16_t, kHeaderIdCount> counts_{};

  std::unique_ptr<char[]> owned_;

  bool syntax_valid_ = false;

  enum class ParseCache : std::uint8_t { kUnknown, kParsed, kMalformed };
  mutable ParseCache top_via_state_ = ParseCache::kUnknown;
  mutable ParseCache request_uri_state_ = ParseCache::kUnknown;
  mutable Via top_via_{};
  mutable Uri parsed_request_uri_{};
};

}  // namespace trapezoid::sip
