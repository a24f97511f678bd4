// `trapezoid lint FILE...`: judges captured SIP messages the way a server would.
#pragma once

#include <string>
#include <vector>

#include "sip/validate.hpp"

namespace trapezoid::apps {

struct LintOptions {
  std::vector<std::string> files;
  bool json = false;
  sip::Role role = sip::Role::kUas;
};

// Prints one line per file (or a JSON document) to stdout and returns the exit status:
// 0 every file ok, 1 some file not ok, 2 a file could not be read.
int run_lint(const LintOptions& options);

}  // namespace trapezoid::apps
