// The transport settings of the integration tests' servers: 127.0.0.1 on an ephemeral port,
// short timeouts so that a test never waits long for a connection to be dropped.
#pragma once

#include <chrono>

#include "transport/worker.hpp"

namespace trapezoid::integration {

inline transport::WorkerConfig loopback_worker_config() {
  transport::WorkerConfig c;
  c.addresses = {"127.0.0.1"};
  c.port = 0;
  c.first_message_timeout = std::chrono::seconds(5);
  c.idle_timeout = std::chrono::seconds(5);
  c.connect_timeout = std::chrono::seconds(2);
  return c;
}

}  // namespace trapezoid::integration
