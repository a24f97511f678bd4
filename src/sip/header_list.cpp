#include "sip/header_list.hpp"

#include "sip/charset.hpp"

namespace trapezoid::sip {

bool list_contains(const Message& msg, HeaderId id, std::string_view token) {
  bool found = false;
  (void)for_each_element(msg, id, [&](std::string_view e) {
    found = charset::iequals(e, token);
    return !found;
  });
  return found;
}

}  // namespace trapezoid::sip
