#include "registrar/stored_binding.hpp"

#include <cstring>
#include <string>

namespace trapezoid::registrar {

StoredBinding::StoredBinding(const Binding& b)
    : expires_at_(b.expires_at),
      updated_at_(b.updated_at),
      cseq_(b.cseq),
      q_(static_cast<std::int16_t>(b.q >= 0 && b.q <= 1000 ? b.q : -1)) {
  const std::array<const std::string*, kFieldCount> texts = {&b.contact,  &b.call_id,  &b.path,
                                                             &b.received, &b.instance, &b.user_agent};
  std::size_t total = 0;
  for (const std::string* t : texts) total += t->size();
  if (total == 0) return;
  text_ = std::make_unique_for_overwrite<char[]>(total);
  std::size_t at = 0;
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    std::memcpy(text_.get() + at, texts[f]->data(), texts[f]->size());
    at += texts[f]->size();
    end_[f] = static_cast<std::uint32_t>(at);
  }
}

Binding StoredBinding::to_binding(std::string_view aor) const {
  Binding b;
  b.aor = aor;
  b.contact = contact();
  b.call_id = call_id();
  b.cseq = cseq_;
  b.expires_at = expires_at_;
  b.q = q_;
  b.path = path();
  b.received = received();
  b.instance = instance();
  b.user_agent = user_agent();
  b.updated_at = updated_at_;
  return b;
}

}  // namespace trapezoid::registrar
