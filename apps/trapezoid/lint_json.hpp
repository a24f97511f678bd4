// The --json form of `trapezoid lint`: the parsed structure with typed fields per header.
#pragma once

#include <string>
#include <string_view>

#include "sip/inspect.hpp"
#include "sip/message.hpp"

namespace trapezoid::apps {

// One file's report as a JSON object (serialized text).
std::string lint_json(std::string_view file, const sip::Inspection& verdict, const sip::Message& msg);

}  // namespace trapezoid::apps
