#include "register_glue.hpp"

#include <chrono>
#include <functional>
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

bool RegisterGlue::refuse_unauthenticated(const proxy::ReplyTo& reply, const sip::Message& request,
                                          const std::string& tag) {
  if (!auth_) return false;
  const std::optional<auth::AuthDecision> refused = auth_->check_register(request, env_->unix_now());
  if (!refused) return false;
  // §10.3 step 3: 401 with a WWW-Authenticate per offered algorithm (§22.1); 400 for
  // credentials that cannot be checked; step 4: 403 for someone else's AoR.
  std::vector<sip::HeaderLine> lines;
  for (const std::string& c : refused->challenges) lines.emplace_back(refused->challenge_header, c);
  sip::BuildResult r = sip::make_response(request, refused->status, refused->reason, tag, {.headers = lines});
  if (r.ok()) send(reply, r.bytes);
  if (logger_.enabled(transport::LogLevel::kInfo)) {
    std::string line = worker_name_ + " REGISTER " + std::string(request.request_uri()) + " -> " +
                       std::to_string(refused->status) + " " + std::string(refused->reason);
    if (!refused->username.empty()) line += " (authenticated as " + refused->username + ")";
    logger_.log(transport::LogLevel::kInfo, line);
  }
  return true;
}

std::string RegisterGlue::stateless_tag(const sip::Message& request) {
  // §8.2.7: the same request gets the same tag: a keyed hash of what identifies it (§17.2.3:
  // the top Via's branch and sent-by, and the method; Call-ID, From tag and CSeq for requests
  // without a usable branch). The key is the process's own, so tags are not guessable.
  static const std::string key = [] {
    sip::SystemRandomSource random;
    return sip::make_tag(random) + sip::make_tag(random);
  }();
  thread_local std::string material;  // reused: no allocation per REGISTER
  material.assign(key);
  const sip::Via* via = request.top_via();
  if (via != nullptr) material.append(via->branch).append("|").append(via->host).append("|");
  material.append(transaction::call_id(request)).append("|").append(transaction::from_tag(request)).append("|");
  if (const sip::HeaderField* cseq = request.find(sip::HeaderId::kCSeq)) material.append(cseq->value);
  const std::size_t h = std::hash<std::string>{}(material);
  char out[17];
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) out[i] = kHex[(h >> (4 * (15 - i))) & 0xF];
  out[16] = '\0';
  return std::string(out, 16);
}

void RegisterGlue::send(const proxy::ReplyTo& reply, std::string_view bytes) {
  if (reply.tx) env_->respond(*reply.tx, bytes);
  else env_->send_stateless(bytes, reply.peer);
}

void RegisterGlue::on_register(const proxy::ReplyTo& reply, const sip::Message& request) {
  if (!env_) return;
  const bool stateless = !reply.tx.has_value();
  const std::string tag = stateless ? stateless_tag(request) : sip::make_tag(random_);
  if (refuse_unauthenticated(reply, request, tag)) return;
  // The proxy core has run the §16.3 checks; Registrar::handle checks what §10.3 relies on
  // itself (To, Contact, Require, expires) and answers the rest, so no second full validation.
  const std::string from = binding_source(request, reply.peer);
  registrar::RegisterOutcome out = registrar_->handle(
      request, {.now = env_->unix_now(), .source = from, .to_tag = tag, .stateless = stateless});
  if (out.response.empty()) {
    // The registrar could not build its answer (a header it would copy is unusable): still
    // answer, with the plainest response there is.
    sip::BuildResult r = sip::make_response(request, 500, "Server Internal Error", tag);
    if (r.ok()) send(reply, r.bytes);
  } else {
    send(reply, out.response);
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
