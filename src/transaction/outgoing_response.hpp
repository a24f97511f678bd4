// A response the TU hands a server transaction, with the two things the transaction reads of
// it: its status (which state follows, §17.2.1/§17.2.2) and its To tag (RFC 2543 ACK matching,
// §17.2.3). A TU that has them at hand (a proxy passing on a response it parsed when it
// arrived) saves the layer parsing the bytes again.
//
//   layer.respond(server_tx, OutgoingResponse{bytes, 180, to_tag(received)}, now);
#pragma once

#include <string_view>

namespace trapezoid::transaction {

struct OutgoingResponse {
  std::string_view bytes;   // the whole serialized response, sent as it is
  int status = 0;           // its status code
  std::string_view to_tag;  // its To tag; empty when it has none
};

}  // namespace trapezoid::transaction
