#include "register_glue.hpp"

#include <chrono>
#include <vector>

#include "server_auth.hpp"
#include "sip/response.hpp"
#include "transaction/message_fields.hpp"
#include "transaction/transport_peer.hpp"

namespace trapezoid::apps {
namespace {

std::string_view transport_name(transport::TransportKind kind) {
  switch (kind) {
    case transport::TransportKind::kUdp: return "udp";
    case transport::TransportKind::kTcp: return "tcp";
    case transport::TransportKind::kTls: return "tls";
  }
  return "udp";
}

}  // namespace

RegisterGlue::RegisterGlue(std::shared_ptr<const registrar::Registrar> registrar, ServeLogger& logger,
                           std::string worker_name)
    : registrar_(std::move(registrar)), logger_(logger), worker_name_(std::move(worker_name)) {}

std::string RegisterGlue::binding_source(const sip::Message& request, const transaction::Peer& source) {
  const transport::Target t = transaction::to_target(source);
  const bool stream = t.remote.transport != transport::TransportKind::kUdp;
  if (!stream) {
    sip::Via via;
    if (!transaction::top_via(request, via) || !via.rport) return {};
    // The transport stamped the Via on receipt (§18.2.1, RFC 3581 §4): "received" when the
    // sent-by host is not the source address, the rport value always.
    const int sent_port = via.has_port ? via.port : 5060;
    const bool translated = !via.received.empty() || (via.rport_value >= 0 && via.rport_value != sent_port);
    if (!translated) return {};
  }
  std::string out(transport_name(t.remote.transport));
  out += ':';
  out += t.remote.address.to_uri_host();
  out += ':';
  out += std::to_string(t.remote.port);
  return out;
}

bool RegisterGlue::refuse_unauthenticated(transaction::TransactionId tx, const sip::Message& request,
                                          const std::string& tag) {
  if (!auth_) return false;
  const std::optional<auth::AuthDecision> refused = auth_->check_register(request, env_->unix_now());
  if (!refused) return false;
  // §10.3 step 3: 401 with a WWW-Authenticate per offered algorithm (§22.1); 400 for
  // credentials that cannot be checked; step 4: 403 for someone else's AoR.
  std::vector<sip::HeaderLine> lines;
  for (const std::string& c : refused->challenges) lines.emplace_back(refused->challenge_header, c);
  sip::BuildResult r = sip::make_response(request, refused->status, refused->reason, tag, {.headers = lines});
  if (r.ok()) env_->respond(tx, r.bytes);
  if (logger_.enabled(transport::LogLevel::kInfo)) {
    std::string line = worker_name_ + " REGISTER " + std::string(request.request_uri()) + " -> " +
                       std::to_string(refused->status) + " " + std::string(refused->reason);
    if (!refused->username.empty()) line += " (authenticated as " + refused->username + ")";
    logger_.log(transport::LogLevel::kInfo, line);
  }
  return true;
}

void RegisterGlue::on_register(transaction::TransactionId tx, const sip::Message& request,
                               const transaction::Peer& source) {
  if (!env_) return;
  const std::string tag = sip::make_tag(random_);
  if (refuse_unauthenticated(tx, request, tag)) return;
  // The proxy core has run the §16.3 checks; Registrar::handle checks what §10.3 relies on
  // itself (To, Contact, Require, expires) and answers the rest, so no second full validation.
  const std::string from = binding_source(request, source);
  registrar::RegisterOutcome out =
      registrar_->handle(request, {.now = env_->unix_now(), .source = from, .to_tag = tag});
  if (out.response.empty()) {
    // The registrar could not build its answer (a header it would copy is unusable): still
    // answer, with the plainest response there is.
    sip::BuildResult r = sip::make_response(request, 500, "Server Internal Error", tag);
    if (r.ok()) env_->respond(tx, r.bytes);
  } else {
    env_->respond(tx, out.response);
  }
  if (logger_.enabled(transport::LogLevel::kInfo)) {
    std::string line = worker_name_ + " REGISTER " + (out.aor.empty() ? std::string(request.request_uri()) : out.aor) +
                       " -> " + std::to_string(out.status) + " " + std::string(out.reason);
    for (const registrar::BindingChange& c : out.changes) {
      static constexpr std::string_view kinds[] = {"added", "refreshed", "removed", "expired"};
      line += ", ";
      line += kinds[static_cast<int>(c.kind)];
      line += ' ';
      line += c.contact;
    }
    logger_.log(transport::LogLevel::kInfo, line);
  }
}

}  // namespace trapezoid::apps
