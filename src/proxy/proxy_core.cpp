#include "proxy/proxy_core.hpp"

#include <array>
#include <cstring>
#include <utility>

#include "proxy/forwarded_request.hpp"
#include "proxy/redirect_contacts.hpp"
#include "proxy/route_set.hpp"
#include "proxy/upstream_response.hpp"
#include "registrar/aor.hpp"
#include "sip/charset.hpp"
#include "sip/contact.hpp"
#include "sip/header_list.hpp"
#include "sip/parser.hpp"
#include "sip/response.hpp"
#include "sip/validate.hpp"
#include "sip/via.hpp"
#include "transaction/message_fields.hpp"
#include "transaction/transport_peer.hpp"
#include "transport/response_route.hpp"

namespace trapezoid::proxy {
namespace {

using sip::HeaderId;
using sip::Method;

std::uint64_t random_u64(sip::RandomSource& random) {
  std::array<std::byte, 8> bytes{};
  random.fill(bytes);
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data(), sizeof v);
  return v;
}

// What this element says of itself to an OPTIONS addressed to it (§11.2): it forwards any
// method, takes SDP, and routes by Path (RFC 3327).
constexpr std::string_view kAllow =
    "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, PRACK, UPDATE, INFO, SUBSCRIBE, NOTIFY, REFER, MESSAGE, PUBLISH";
constexpr std::string_view kAccept = "application/sdp";
constexpr std::string_view kSupported = "path";

bool is_challenge(int status) { return status == 401 || status == 407; }

// §16.5: the Request-URI itself as the one target.
Target unchanged_target(std::string uri) {
  Target t;
  t.uri = std::move(uri);
  return t;
}

}  // namespace

// Marks a call into the core; when the outermost one returns, finished contexts are released
// (never while a caller up the stack may still hold one).
class ProxyCore::Entry {
 public:
  explicit Entry(ProxyCore& core) : core_(core) { ++core_.depth_; }
  ~Entry() {
    if (--core_.depth_ == 0) core_.release_finished();
  }
  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;

 private:
  ProxyCore& core_;
};

ProxyCore::ProxyCore(ProxyConfig config, const registrar::Locator& locator, ProxyEnvironment& env,
                     LocalRequestHandler& local, transport::Logger& logger, TargetResolver* resolver)
    : config_(std::move(config)),
      locator_(locator),
      env_(env),
      local_(local),
      logger_(logger),
      resolver_(resolver != nullptr ? *resolver : numeric_),
      identity_(config_),
      branches_(config_.branch_tag, random_u64(random_)) {
  proxy_require_.assign(config_.proxy_require_supported.begin(), config_.proxy_require_supported.end());
  loop_mark_.append(sip::kBranchMagicCookie).append(config_.branch_tag).append(".");
}

ProxyCore::~ProxyCore() = default;

const ProxyIdentity& ProxyCore::me() {
  // The sockets are bound before the first message arrives; read them once.
  if (identity_.endpoints().empty()) identity_.set_endpoints(env_.local_endpoints());
  return identity_;
}

// ---------------------------------------------------------------------------------------------
// Requests.

std::size_t ProxyCore::pending_count() const noexcept {
  std::size_t n = 0;
  for (const auto& [tx, ctx] : contexts_)
    if (ctx->server_live && !ctx->final_sent) ++n;
  return n;
}

void ProxyCore::on_request(TransactionId tx, const sip::Message& request) {
  Entry entry(*this);
  // RFC 6026 §8.7: the ACK of a 2xx that matched our INVITE server transaction: it belongs to
  // the dialog, not to us, and goes on statelessly like any other ACK of a 2xx (§16.11).
  if (request.method() == Method::kAck) return forward_ack(request);
  handle_request(tx, request);
}

bool ProxyCore::on_stateless_request(const sip::Message& request, const Peer& reply_to) {
  // §8.2.7: a REGISTER for one of our domains is the registrar's, which answers a retransmission
  // as it answered the first copy; no transaction needs to keep either for Timer J. Whatever
  // would be refused, routed elsewhere or needs more care takes the stateful way, with the
  // same checks as handle_request.
  if (!config_.stateless_register || request.method() != Method::kRegister || draining_) return false;
  Entry entry(*this);
  sip::ValidationPolicy policy;
  policy.role = sip::Role::kProxy;
  policy.supported_extensions = proxy_require_;
  if (!sip::validate_request(request, policy).ok()) return false;
  const RouteSet rs = preprocess_routes(request, me());
  if (!rs.routes.empty()) return false;
  sip::Uri ruri;
  if (!parse_request_uri(rs, request, ruri) || !ruri.is_sip_or_sips()) return false;
  if (!me().names_us(ruri) && !locator_.is_local_domain(ruri.host)) return false;
  if (is_loop(request)) return false;
  local_.on_register(ReplyTo{std::nullopt, reply_to}, request);
  return true;
}

bool ProxyCore::validate(TransactionId tx, const sip::Message& request) {
  sip::ValidationPolicy policy;
  policy.role = sip::Role::kProxy;
  policy.supported_extensions = proxy_require_;
  const sip::Verdict v = sip::validate_request(request, policy);
  const bool redirecting = config_.mode == ProxyMode::kRedirect;
  // 483 waits until the request is about to be forwarded (handle_request): what this element
  // answers itself is not forwarded.
  if (v.status == 420 && !redirecting) {
    // §16.3 step 5: the Unsupported header lists every option tag not understood.
    std::string unsupported;
    (void)sip::for_each_element(request, HeaderId::kProxyRequire, [&](std::string_view tag) {
      for (std::string_view s : proxy_require_)
        if (sip::charset::iequals(s, tag)) return true;
      if (!unsupported.empty()) unsupported += ", ";
      unsupported += tag;
      return true;
    });
    const sip::HeaderLine lines[] = {{HeaderId::kUnsupported, unsupported}};
    respond(tx, request, 420, v.reason, lines);
    return false;
  }
  if (!v.ok() && v.status != 483 && v.status != 420) {
    respond(tx, request, v.status, v.reason);
    return false;
  }
  // §16.3 step 4: a request that carries our Via with the same loop hash has come back
  // unchanged: a loop, not a spiral.
  if (!redirecting && request.method() != Method::kCancel && is_loop(request)) {
    respond(tx, request, 482, "Loop Detected");
    return false;
  }
  return true;
}

bool ProxyCore::is_loop(const sip::Message& request) {
  // Only a Via whose branch begins with our mark can be ours (loop_hash_of); most requests
  // carry none, and then no Via needs parsing.
  bool marked = false;
  request.for_each(HeaderId::kVia, [&](const sip::HeaderField& h) {
    marked = marked || h.value.find(loop_mark_) != std::string_view::npos;
  });
  if (!marked) return false;
  const ProxyIdentity& self = me();
  std::optional<std::uint64_t> hash;  // computed only when one of our Vias is there
  bool loop = false;
  (void)sip::for_each_scanned<sip::Via>(request, HeaderId::kVia, sip::scan_via, [&](const sip::Via& via) {
    if (loop || !self.is_our_sent_by(via)) return;
    const std::optional<std::uint64_t> seen = loop_hash_of(via.branch, config_.branch_tag);
    if (!seen) return;
    if (!hash) hash = loop_hash(request);
    loop = *seen == *hash;
  });
  return loop;
}

void ProxyCore::handle_request(TransactionId tx, const sip::Message& request) {
  if (!validate(tx, request)) return;
  if (request.method() == Method::kCancel) return handle_cancel(tx, request);

  RouteSet rs = preprocess_routes(request, me());
  sip::Uri ruri;
  if (!parse_request_uri(rs, request, ruri)) return respond(tx, request, 400, "Malformed Request-URI");
  const bool sip_uri = ruri.is_sip_or_sips();
  const bool ours = sip_uri && me().names_us(ruri);
  const bool local = ours || (sip_uri && locator_.is_local_domain(ruri.host));
  const bool in_dialog = !transaction::to_tag(request).empty();
  const bool routed = !rs.routes.empty();

  if (draining_ && !in_dialog) {
    const sip::HeaderLine lines[] = {{HeaderId::kRetryAfter, "5"}};
    return respond(tx, request, 503, "Shutting Down", lines);
  }
  // A REGISTER for one of our domains is the registrar's (§10.3).
  if (request.method() == Method::kRegister && local && !routed) {
    local_.on_register(ReplyTo{tx, env_.layer().peer(tx).value_or(Peer{})}, request);
    return;
  }
  // An OPTIONS for this element itself (no user part) is answered here (§11).
  if (request.method() == Method::kOptions && local && !routed && !ruri.has_user) return answer_options(tx, request);
  // §22.3: a proxy may demand credentials before it routes. Only new requests outside a
  // dialog are asked about: ACK and CANCEL cannot be resent with credentials (§22.1), and
  // CANCEL never gets here.
  if (authorizer_ != nullptr && !in_dialog) {
    AuthorizationVerdict verdict = authorizer_->authorize(request, env_.unix_now());
    if (verdict.status != 0) {
      std::vector<sip::HeaderLine> lines;
      lines.reserve(verdict.headers.size());
      for (const auto& [id, value] : verdict.headers) lines.emplace_back(id, value);
      return respond(tx, request, verdict.status, verdict.reason, lines);
    }
  }

  if (config_.mode == ProxyMode::kRedirect) {
    if (!local || in_dialog) return respond(tx, request, 404);
    return redirect(tx, request, rs.request_uri);
  }

  // §16.3 step 3: Max-Forwards 0 stops the request here; an OPTIONS may be answered instead.
  if (next_max_forwards(request, config_.max_forwards) < 0) {
    if (request.method() == Method::kOptions) return answer_options(tx, request);
    return respond(tx, request, 483, "Too Many Hops");
  }

  std::vector<Target> targets;
  bool retargeted = false;
  if (!sip_uri) {
    // tel and other schemes: only a Route can take them on (no ENUM or gateway here).
    if (!routed) return respond(tx, request, 416, "Unsupported URI Scheme");
    targets.push_back(unchanged_target(rs.request_uri));
  } else if (local && !in_dialog && !ruri.has_param("maddr")) {
    // §16.5: the location service, indexed by the canonical AoR (§10.3 step 5). Requests
    // inside a dialog keep their Request-URI: it is the remote target, not an AoR; so does
    // one with a maddr (not ours, §16.4 removed that), which "MUST be placed into the target
    // set as the only target URI".
    const registrar::AorResult aor = registrar::request_uri_aor(rs.request_uri);
    if (!aor.ok()) return respond(tx, request, 404);
    const std::vector<registrar::Binding> bindings = locator_.lookup(aor.aor, env_.unix_now());
    // §16.5: 404 for a user that does not exist here, 480 for one that is not reachable now.
    if (bindings.empty()) return respond(tx, request, locator_.is_known(aor.aor) ? 480 : 404);
    for (const registrar::Binding& b : bindings) targets.push_back(target_from_binding(b));
    retargeted = true;
  } else if (ours && !routed) {
    // Addressed to this element inside a dialog, with nowhere further to go.
    return respond(tx, request, 404);
  } else {
    // §16.5: a domain we are not responsible for (or a dialog's remote target): the
    // Request-URI is the only target.
    targets.push_back(unchanged_target(rs.request_uri));
  }
  forward(tx, request, std::move(rs.routes), std::move(targets), retargeted);
}

void ProxyCore::answer_options(TransactionId tx, const sip::Message& request) {
  const sip::HeaderLine lines[] = {{HeaderId::kAllow, kAllow}, {HeaderId::kAccept, kAccept},
                                   {HeaderId::kSupported, kSupported}};
  respond(tx, request, 200, {}, lines);
}

void ProxyCore::redirect(TransactionId tx, const sip::Message& request, std::string_view request_uri) {
  // §8.3: the contacts of the target's bindings in a 302, or why there are none.
  const registrar::AorResult aor = registrar::request_uri_aor(request_uri);
  if (!aor.ok()) return respond(tx, request, 404);
  const registrar::UnixSeconds now = env_.unix_now();
  const std::vector<registrar::Binding> bindings = locator_.lookup(aor.aor, now);
  if (bindings.empty()) return respond(tx, request, locator_.is_known(aor.aor) ? 480 : 404);
  const std::vector<std::string> contacts = redirect_contacts(bindings, now, request_uri);
  // §8.3: never a redirect to the Request-URI itself; with nothing else to offer, 404.
  if (contacts.empty()) return respond(tx, request, 404);
  std::vector<sip::HeaderLine> lines;
  lines.reserve(contacts.size());
  for (const std::string& c : contacts) lines.emplace_back(HeaderId::kContact, c);
  respond(tx, request, 302, {}, lines);
}

void ProxyCore::handle_cancel(TransactionId tx, const sip::Message& cancel) {
  const std::optional<TransactionId> invite = env_.layer().find_cancelled(tx);
  // §16.10 would forward an unmatched CANCEL statelessly, for a request forwarded statelessly
  // before; this proxy forwards every request statefully, so such a CANCEL matches nothing
  // anywhere: 481 (§9.2).
  if (!invite) return respond(tx, cancel, 481);
  // §16.10: "the element MUST immediately return a 200 (OK) response to the CANCEL request"
  // and cancel every pending client transaction of the context.
  respond(tx, cancel, 200);
  if (ResponseContext* ctx = context(*invite)) {
    ctx->no_new_branches = true;
    cancel_pending(*ctx);
    touch(ctx->server_tx);
    // Only branches waiting for DNS: nothing will answer, the 487 is this element's.
    if (ctx->all_branches_done()) on_branch_done(*ctx);
  }
}

void ProxyCore::forward(TransactionId tx, const sip::Message& request, std::vector<std::string> routes,
                        std::vector<Target> targets, bool retargeted) {
  auto owned = std::make_unique<ResponseContext>();
  ResponseContext& ctx = *owned;
  ctx.server_tx = tx;
  ctx.method = request.method();
  ctx.invite = request.method() == Method::kInvite;
  ctx.upstream = env_.layer().peer(tx).value_or(Peer{});
  ctx.method_name.assign(request.method_name());
  ctx.request_uri.assign(request.request_uri());
  ctx.loop_hash = loop_hash(request);
  ctx.routes = std::move(routes);
  ctx.retargeted = retargeted;
  const sip::Uri* received_uri = request.parsed_request_uri();
  ctx.sips = received_uri != nullptr && received_uri->scheme == sip::UriScheme::kSips;
  ctx.to_tag = sip::make_tag(random_);
  for (Target& t : targets) (void)ctx.targets.add(std::move(t));
  contexts_.emplace(tx, std::move(owned));
  touch(tx);
  // §16.2, §8.2.6.1: an INVITE gets 100 (Trying) at once, so the upstream stops retransmitting.
  if (ctx.invite) respond(tx, request, 100);
  start_next_group(ctx);
}

// ---------------------------------------------------------------------------------------------
// Branches (§16.6).

bool ProxyCore::record_routes(Method method) const noexcept {
  if (!config_.record_route) return false;
  // §16.6 item 4: requests that may create a dialog, and methods unknown here ("SHOULD add a
  // Record-Route header field value to every request with a method it does not understand").
  return method == Method::kInvite || method == Method::kSubscribe || method == Method::kRefer ||
         method == Method::kNotify || method == Method::kUnknown;
}

void ProxyCore::start_next_group(ResponseContext& ctx) {
  // §16.6: the highest q first, in parallel; the next group once all of this one failed.
  while (!ctx.final_sent && !ctx.no_new_branches && ctx.targets.has_pending()) {
    for (Target& t : ctx.targets.next_group()) start_branch(ctx, std::move(t));
    if (!ctx.all_branches_done()) return;
  }
  if (ctx.all_branches_done()) send_best(ctx);
}

void ProxyCore::start_branch(ResponseContext& ctx, Target target) {
  const std::size_t index = ctx.branches.size();
  ctx.branches.emplace_back();
  if (env_.layer().request(ctx.server_tx) == nullptr) return fail_branch(ctx, index, 503);

  // §16.6 item 6: the target's own route (Path) goes ahead of what the request still carries.
  std::vector<std::string> routes = std::move(target.routes);
  routes.insert(routes.end(), ctx.routes.begin(), ctx.routes.end());
  const bool routed = !routes.empty();
  std::optional<NextHop> hop = postprocess_routes(std::move(target.uri), std::move(routes));
  if (!hop) return fail_branch(ctx, index, 503);
  sip::Uri ruri;
  const bool sips = sip::parse_uri(hop->request_uri, ruri).empty() && ruri.scheme == sip::UriScheme::kSips;
  sip::Uri next;
  const bool next_ok = sip::parse_uri(hop->next_hop, next).empty();
  auto route = std::make_shared<BranchRoute>();
  route->request_uri = std::move(hop->request_uri);
  route->routes = std::move(hop->routes);
  route->sips = sips;
  if (next_ok && next.host_kind == sip::HostKind::kHostname) route->tls_name = next.host;
  ctx.branches[index].route = std::move(route);

  // §16.6 item 7: where it goes. A binding's source address reaches a UA behind NAT when no
  // Route decides the next hop.
  if (!routed && target.received) return send_branch(ctx, index, {*target.received});
  if (!next_ok) return fail_branch(ctx, index, 503);
  // RFC 3263 §4: the next hop's destinations; the answer may come now (a numeric host, a
  // cached name) or later, when this context may have moved on: it is found again by its
  // server transaction, and the branch by the number of the resolution it waits for.
  Branch& b = ctx.branches[index];
  b.resolving = true;
  b.resolution = ++resolutions_;
  const TransactionId server_tx = ctx.server_tx;
  const std::uint64_t resolution = b.resolution;
  resolver_.resolve(next, sips, [this, server_tx, index, resolution](std::vector<transport::Target> destinations) {
    on_resolved(server_tx, index, resolution, std::move(destinations));
  });
}

void ProxyCore::on_resolved(TransactionId server_tx, std::size_t index, std::uint64_t resolution,
                            std::vector<transport::Target> destinations) {
  Entry entry(*this);
  ResponseContext* ctx = context(server_tx);
  if (ctx == nullptr || index >= ctx->branches.size()) return;
  Branch& b = ctx->branches[index];
  if (!b.resolving || b.resolution != resolution) return;
  b.resolving = false;
  if (b.state == BranchState::kDone) return;  // cancelled while DNS was asked
  const bool asynchronous = depth_ == 1;
  if (ctx->final_sent || ctx->no_new_branches) {
    fail_branch(*ctx, index, 487);
  } else if (destinations.empty()) {
    // §16.9: no address for the name (or none for a SIPS request's TLS): as a 503.
    fail_branch(*ctx, index, 503);
  } else {
    send_branch(*ctx, index, std::move(destinations));
  }
  // Answered later, from the event loop: the branch's outcome may complete its group.
  if (asynchronous && ctx->branches[index].state == BranchState::kDone) on_branch_done(*ctx);
}

void ProxyCore::send_branch(ResponseContext& ctx, std::size_t index, std::vector<transport::Target> destinations) {
  const transport::Target destination = destinations.front();
  ctx.branches[index].fallbacks.assign(destinations.begin() + 1, destinations.end());
  const std::shared_ptr<const BranchRoute> route = ctx.branches[index].route;
  const sip::Message* original = env_.layer().request(ctx.server_tx);
  if (original == nullptr) return fail_branch(ctx, index, 503);
  // §16.9 / §26.2.2: no socket for its transport (TLS for a SIPS target): as a 503.
  const std::optional<transport::Endpoint> out =
      me().endpoint_for(destination.remote.transport, destination.remote.address.is_v6());
  if (!out) return fail_over(ctx, index, 503);

  std::vector<std::string> record_route;
  if (record_routes(ctx.method)) {
    // §16.6 item 4: a SIPS Request-URI or top Route makes our Record-Route a SIPS URI.
    bool rr_sips = route->sips;
    if (!route->routes.empty()) {
      sip::Uri top;
      const std::optional<std::string_view> text = route_uri(route->routes.front());
      rr_sips = rr_sips || (text && sip::parse_uri(*text, top).empty() && top.scheme == sip::UriScheme::kSips);
    }
    record_route.push_back(me().record_route(*out, rr_sips));
    // RFC 5658: leaving on another socket than it came in on, the request records both, the
    // outgoing side on top, so each side of the dialog reaches the interface that faces it.
    const std::optional<transport::Endpoint> in =
        me().endpoint_for(static_cast<transport::TransportKind>(ctx.upstream.transport), ctx.upstream.ipv6);
    if (in && *in != *out) record_route.push_back(me().record_route(*in, rr_sips));
  }
  const std::string branch = branches_.next(ctx.loop_hash);
  const std::string via = me().via(*out, branch);
  ForwardEdits edits;
  edits.request_uri = route->request_uri;
  edits.via = via;
  edits.record_routes = record_route;
  edits.routes = route->routes;
  edits.max_forwards = next_max_forwards(*original, config_.max_forwards);
  const std::string bytes = forwarded_request(*original, edits);

  Peer peer = transaction::to_peer(destination);
  if (destination.remote.transport == transport::TransportKind::kTls && !destination.connection &&
      !route->tls_name.empty())
    peer.tls_name = env_.tls_name_id(route->tls_name);
  ctx.branches[index].destination = peer;
  StartWatch watch;  // what the transport reports before the id is known
  watch_ = &watch;
  const std::optional<TransactionId> id = env_.send_request(bytes, peer);  // §16.6 item 10
  watch_ = nullptr;
  Branch& b = ctx.branches[index];
  if (id) {
    b.tx = *id;
    b.tx_live = env_.layer().contains(*id);
    if (b.tx_live) branch_of_[*id] = BranchRef{ctx.server_tx, index};
  }
  if (!id || watch.failed) return fail_over(ctx, index, 503);
  if (ctx.invite) arm_timer_c(b);  // §16.6 item 11
}

void ProxyCore::fail_over(ResponseContext& ctx, std::size_t index, int status) {
  Branch& b = ctx.branches[index];
  if (b.state == BranchState::kDone) return;
  if (b.fallbacks.empty() || ctx.final_sent || ctx.no_new_branches) return fail_branch(ctx, index, status);
  // RFC 3263 §4.3: the next destination of the same target, on a branch of its own (a new
  // client transaction); this one ends without a response of its own to choose from.
  std::vector<transport::Target> rest = std::move(b.fallbacks);
  std::shared_ptr<const BranchRoute> route = b.route;
  stop_timers(b);
  b.state = BranchState::kDone;
  const std::size_t next = ctx.branches.size();
  ctx.branches.emplace_back();
  ctx.branches[next].route = std::move(route);
  send_branch(ctx, next, std::move(rest));
}

void ProxyCore::fail_branch(ResponseContext& ctx, std::size_t index, int status) {
  Branch& b = ctx.branches[index];
  if (b.state == BranchState::kDone) return;
  stop_timers(b);
  b.state = BranchState::kDone;
  b.resolving = false;
  // §16.6 item 7, §16.9: as if the branch had answered this (408, or 503 for the transport).
  ctx.finals.push_back(Candidate{status, {}});
}

void ProxyCore::arm_timer_c(Branch& b) {
  if (b.timer_c != 0) env_.cancel(b.timer_c);
  const TransactionId tx = b.tx;
  b.timer_c = env_.schedule(env_.now() + config_.timer_c, [this, tx] { on_timer_c(tx); });
}

void ProxyCore::stop_timers(Branch& b) {
  if (b.timer_c != 0) env_.cancel(b.timer_c);
  if (b.cancel_guard != 0) env_.cancel(b.cancel_guard);
  b.timer_c = 0;
  b.cancel_guard = 0;
}

void ProxyCore::cancel_branch(Branch& b) {
  if (b.state == BranchState::kDone || b.cancel_sent || b.tx == 0) return;
  // §9.1: "If no provisional response has been received, the CANCEL request MUST NOT be sent";
  // it goes once one arrives.
  if (b.state == BranchState::kCalling) {
    b.cancel_wanted = true;
    return;
  }
  const sip::Message* sent = env_.layer().request(b.tx);
  if (sent == nullptr) return;
  sip::BuildResult cancel = cancel_for(*sent);
  if (!cancel.ok()) return;
  b.cancel_sent = true;
  if (b.timer_c != 0) env_.cancel(b.timer_c);
  b.timer_c = 0;
  // §9.1: to the same address, port and transport as the request.
  (void)env_.send_request(cancel.bytes, b.destination);
  // §9.1: no final response 64*T1 after the CANCEL: the request counts as cancelled.
  const TransactionId tx = b.tx;
  b.cancel_guard = env_.schedule(env_.now() + 64 * env_.layer().timer_config().T1, [this, tx] { on_cancel_guard(tx); });
}

void ProxyCore::cancel_pending(ResponseContext& ctx) {
  // A branch still waiting for DNS has sent nothing: it ends here, as if it had answered 487.
  for (std::size_t i = 0; i < ctx.branches.size(); ++i)
    if (ctx.branches[i].resolving) fail_branch(ctx, i, 487);
  // §9.1: CANCEL is for INVITE; other requests are answered at once anyway.
  if (!ctx.invite) return;
  for (Branch& b : ctx.branches) cancel_branch(b);
}

// ---------------------------------------------------------------------------------------------
// Responses (§16.7).

void ProxyCore::on_response(TransactionId tx, const sip::Message& response) {
  Entry entry(*this);
  std::size_t index = 0;
  ResponseContext* ctx = context_of(tx, index);
  if (ctx == nullptr) return;  // the response to one of our CANCELs: nothing to do
  on_branch_response(*ctx, index, response);
}

void ProxyCore::on_branch_response(ResponseContext& ctx, std::size_t index, const sip::Message& response) {
  Branch& b = ctx.branches[index];
  const int status = response.status_code();
  if (status < 200) {
    if (b.state == BranchState::kDone) return;
    if (b.state == BranchState::kCalling) {
      b.state = BranchState::kProceeding;
      if (b.cancel_wanted) cancel_branch(b);
    }
    // §16.7 item 2: any provisional but 100 resets Timer C.
    if (ctx.invite && status > 100 && !b.cancel_sent) arm_timer_c(b);
    // §16.7 item 5: provisional responses but 100 go upstream at once, until a final has.
    if (status > 100 && !ctx.final_sent) forward_upstream(ctx, response);
    return;
  }
  if (status == 503 && b.state != BranchState::kDone && !b.fallbacks.empty() && !ctx.no_new_branches) {
    // RFC 3263 §4.3: a 503 sends the request to the target's next destination.
    fail_over(ctx, index, 503);
    return on_branch_done(ctx);
  }
  const bool first_final = b.state != BranchState::kDone;
  if (first_final) {
    stop_timers(b);
    b.state = BranchState::kDone;
  }
  touch(ctx.server_tx);
  if (status < 300) {
    // §16.7 item 5: a 2xx goes upstream at once; for INVITE every one of them (other forks,
    // retransmissions), even after the first.
    if (ctx.invite || !ctx.final_sent) forward_upstream(ctx, response);
    if (!ctx.final_sent) {
      ctx.final_status = status;
      log(ctx.method_name, ctx.request_uri, status, ctx.branches.size());
    }
    ctx.final_sent = true;
    ctx.no_new_branches = true;
    cancel_pending(ctx);  // §16.7 item 10
    return;
  }
  if (!first_final) return;
  if (status >= 600) {
    // §16.7 item 5: a 6xx is held, the other branches cancelled, no new branch started.
    ctx.no_new_branches = true;
    cancel_pending(ctx);
  }
  if (status >= 400 || !recurse(ctx, response))
    ctx.finals.push_back(Candidate{status, std::string(response.raw())});  // §16.7 item 4
  on_branch_done(ctx);
}

bool ProxyCore::recurse(ResponseContext& ctx, const sip::Message& response) {
  // §16.5: only a proxy responsible for the Request-URI may add targets.
  if (!config_.recurse_on_3xx || !ctx.retargeted || ctx.no_new_branches) return false;
  std::vector<std::string> kept;
  bool recursed = false;
  (void)sip::for_each_element(response, HeaderId::kContact, [&](std::string_view value) {
    sip::Contact c;
    const bool usable = sip::parse_contact(value, c).empty() && !c.star && c.address.parsed_uri.is_sip_or_sips() &&
                        // §16.7 item 4: not from a SIPS request to a non-SIPS URI.
                        (!ctx.sips || c.address.parsed_uri.scheme == sip::UriScheme::kSips);
    if (!usable) {
      kept.emplace_back(value);
      return true;
    }
    Target t;
    t.uri = as_request_uri(c.address.uri);
    t.q = c.q < 0 ? 1000 : c.q;
    // Added once only (§16.5); either way it is not offered upstream again.
    (void)ctx.targets.add(std::move(t));
    recursed = true;
    return true;
  });
  if (!recursed) return false;
  // §16.7 item 4: the contacts recursed on leave the response; with none left it is dropped.
  if (!kept.empty()) {
    UpstreamEdits edits;
    edits.contacts = std::span<const std::string>(kept);
    if (std::optional<std::string> up = upstream_response(response, edits))
      ctx.finals.push_back(Candidate{response.status_code(), std::move(*up), true});
  }
  return true;
}

void ProxyCore::on_branch_done(ResponseContext& ctx) {
  touch(ctx.server_tx);
  if (ctx.all_branches_done()) start_next_group(ctx);  // the next group, or the best response
}

void ProxyCore::send_best(ResponseContext& ctx) {
  if (ctx.final_sent) return;
  ctx.final_sent = true;
  // §16.7 item 6: no final response at all is a 408.
  const std::optional<std::size_t> best = choose_best(ctx.finals);
  if (!best) return respond_local(ctx, 408);
  const Candidate& chosen = ctx.finals[*best];
  // Statuses the proxy stood in for, and a 503 (passed on as 500, §16.7 item 6), are its own.
  if (chosen.bytes.empty() || chosen.status == 503) return respond_local(ctx, upstream_status(chosen.status));
  ctx.final_status = chosen.status;
  log(ctx.method_name, ctx.request_uri, chosen.status, ctx.branches.size());
  if (chosen.prepared) return send_upstream(ctx, chosen.bytes);
  sip::Message response;
  if (!sip::parse_datagram(chosen.bytes, response).ok()) return respond_local(ctx, 500);
  // §16.7 item 7: a 401 or 407 carries the challenges of every other 401 and 407.
  std::vector<sip::Message> others;
  std::vector<sip::HeaderLine> challenges;
  if (is_challenge(chosen.status)) {
    others.reserve(ctx.finals.size());
    for (std::size_t i = 0; i < ctx.finals.size(); ++i) {
      const Candidate& c = ctx.finals[i];
      if (i == *best || !is_challenge(c.status) || c.bytes.empty() || c.prepared) continue;
      sip::Message& m = others.emplace_back();
      if (!sip::parse_datagram(c.bytes, m).ok()) continue;
      for (HeaderId id : {HeaderId::kWwwAuthenticate, HeaderId::kProxyAuthenticate})
        m.for_each(id, [&](const sip::HeaderField& h) { challenges.emplace_back(id, h.value); });
    }
  }
  UpstreamEdits edits;
  edits.extra = challenges;
  if (std::optional<std::string> up = upstream_response(response, edits)) send_upstream(ctx, *up);
}

void ProxyCore::forward_upstream(ResponseContext& ctx, const sip::Message& response) {
  // §16.7 item 3: our Via off; none left means the response was for us (not forwarded).
  if (std::optional<std::string> up = upstream_response(response)) send_upstream(ctx, *up, &response);
}

void ProxyCore::send_upstream(ResponseContext& ctx, const std::string& bytes, const sip::Message* from) {
  // Passed on, the response keeps the status and To tag it arrived with: no need to parse it.
  const bool sent = from != nullptr
                        ? env_.respond(ctx.server_tx, transaction::OutgoingResponse{bytes, from->status_code(),
                                                                                   transaction::to_tag(*from)})
                        : env_.respond(ctx.server_tx, bytes);
  if (sent) return;
  // §16.7 item 9: "If the server transaction is no longer available to handle the
  // transmission, the element MUST forward the response statelessly".
  if (ctx.server_live) return;  // it refused this response in its state: nothing more to do
  send_by_via(bytes);
}

void ProxyCore::respond_local(ResponseContext& ctx, int status) {
  ctx.final_status = status;
  log(ctx.method_name, ctx.request_uri, status, ctx.branches.size());
  const sip::Message* original = env_.layer().request(ctx.server_tx);
  if (original == nullptr) return;
  sip::BuildResult r = sip::make_response(*original, status, {}, ctx.to_tag);
  if (r.ok()) (void)env_.respond(ctx.server_tx, r.bytes);
}

void ProxyCore::on_timer_c(TransactionId client_tx) {
  Entry entry(*this);
  std::size_t index = 0;
  ResponseContext* ctx = context_of(client_tx, index);
  if (ctx == nullptr) return;
  Branch& b = ctx->branches[index];
  b.timer_c = 0;
  if (b.state == BranchState::kDone) return;
  // §16.8: with a provisional response, CANCEL the branch; without, act as if it had sent a
  // 408 and give the client transaction up.
  if (b.state == BranchState::kProceeding) return cancel_branch(b);
  fail_branch(*ctx, index, 408);
  env_.abandon(client_tx);
  on_branch_done(*ctx);
}

void ProxyCore::on_cancel_guard(TransactionId client_tx) {
  Entry entry(*this);
  std::size_t index = 0;
  ResponseContext* ctx = context_of(client_tx, index);
  if (ctx == nullptr) return;
  ctx->branches[index].cancel_guard = 0;
  if (ctx->branches[index].state == BranchState::kDone) return;
  // §9.1: "If there is no final response for the original request in 64*T1 seconds ... the
  // client SHOULD then consider the original transaction cancelled and SHOULD destroy" it.
  fail_branch(*ctx, index, 408);
  env_.abandon(client_tx);
  on_branch_done(*ctx);
}

void ProxyCore::on_timeout(TransactionId tx) {
  Entry entry(*this);
  std::size_t index = 0;
  ResponseContext* ctx = context_of(tx, index);
  if (ctx == nullptr) return;  // a server transaction (Timer H) or a CANCEL: nothing to do
  // §16.6 item 7: "acts as if this element of the target set returned a 408" (after the
  // target's other destinations, RFC 3263 §4.3).
  fail_over(*ctx, index, 408);
  on_branch_done(*ctx);
}

void ProxyCore::on_transport_error(TransactionId tx) {
  Entry entry(*this);
  std::size_t index = 0;
  ResponseContext* ctx = context_of(tx, index);
  if (ctx == nullptr) {
    // A branch failing inside send_request(), before its id is known.
    if (watch_ != nullptr) watch_->failed = true;
    // A server transaction: §16.9, the response is dropped and nothing else is done.
    return;
  }
  // §16.9: "behave as if the forwarded request received a 503" (after the target's other
  // destinations, RFC 3263 §4.3).
  fail_over(*ctx, index, 503);
  on_branch_done(*ctx);
}

void ProxyCore::on_terminated(TransactionId tx) {
  Entry entry(*this);
  if (ResponseContext* server = context(tx)) {
    server->server_live = false;
    touch(tx);
    return;
  }
  std::size_t index = 0;
  ResponseContext* ctx = context_of(tx, index);
  if (ctx == nullptr) return;
  branch_of_.erase(tx);
  Branch& b = ctx->branches[index];
  b.tx_live = false;
  touch(ctx->server_tx);
  if (b.state != BranchState::kDone) {
    fail_branch(*ctx, index, 408);  // gone without a word (abandoned): as a timeout
    on_branch_done(*ctx);
  }
}

// ---------------------------------------------------------------------------------------------
// Stateless forwarding (§16.11).

void ProxyCore::on_stray_ack(const sip::Message& ack, const Peer& /*source*/) {
  Entry entry(*this);
  forward_ack(ack);
}

void ProxyCore::forward_ack(const sip::Message& ack) {
  // §8.3: a redirect server issues no requests of its own.
  if (config_.mode == ProxyMode::kRedirect) return;
  // §16.3 step 3: not forwarded at Max-Forwards 0; an ACK gets no 483.
  const int max_forwards = next_max_forwards(ack, config_.max_forwards);
  if (max_forwards < 0) return;
  const RouteSet rs = preprocess_routes(ack, me());
  if (rs.routes.empty()) {
    sip::Uri u;
    if (sip::parse_uri(rs.request_uri, u).empty() && me().names_us(u)) return;  // for us: absorbed
  }
  const std::optional<NextHop> hop = postprocess_routes(rs.request_uri, rs.routes);
  if (!hop) return;
  sip::Uri ruri;
  sip::Uri next;
  const bool sips = sip::parse_uri(hop->request_uri, ruri).empty() && ruri.scheme == sip::UriScheme::kSips;
  if (!sip::parse_uri(hop->next_hop, next).empty()) return;
  // RFC 3263 §4: the first destination of the next hop. A numeric host answers at once; a
  // name answers later, when the ACK is gone: its bytes are kept until then.
  struct PendingAck {
    bool in_call = true;
    std::optional<std::vector<transport::Target>> immediate;
    std::string bytes;
    NextHop hop;
    int max_forwards = 0;
  };
  auto pending = std::make_shared<PendingAck>();
  resolver_.resolve(next, sips, [this, pending](std::vector<transport::Target> destinations) {
    if (pending->in_call) {
      pending->immediate = std::move(destinations);
      return;
    }
    Entry entry(*this);
    sip::Message later;
    if (destinations.empty() || !sip::parse_datagram(pending->bytes, later).ok()) return;
    send_ack(later, pending->hop, pending->max_forwards, destinations.front());
  });
  pending->in_call = false;
  if (pending->immediate) {
    if (!pending->immediate->empty()) send_ack(ack, *hop, max_forwards, pending->immediate->front());
    return;
  }
  pending->bytes.assign(ack.raw());
  pending->hop = *hop;
  pending->max_forwards = max_forwards;
}

void ProxyCore::send_ack(const sip::Message& ack, const NextHop& hop, int max_forwards,
                         const transport::Target& destination) {
  const std::optional<transport::Endpoint> out =
      me().endpoint_for(destination.remote.transport, destination.remote.address.is_v6());
  if (!out) return;
  // §16.11: a branch every retransmission of this ACK gets again.
  const std::string via = me().via(*out, branches_.stateless(ack));
  ForwardEdits edits;
  edits.request_uri = hop.request_uri;
  edits.via = via;
  edits.routes = hop.routes;
  edits.max_forwards = max_forwards;
  Peer peer = transaction::to_peer(destination);
  if (destination.remote.transport == transport::TransportKind::kTls && !destination.connection) {
    // RFC 5922 §4: a TLS next hop known by name is checked against that name.
    sip::Uri next;
    if (sip::parse_uri(hop.next_hop, next).empty() && next.host_kind == sip::HostKind::kHostname)
      peer.tls_name = env_.tls_name_id(next.host);
  }
  (void)env_.send_stateless(forwarded_request(ack, edits), peer);
}

void ProxyCore::on_stray_response(const sip::Message& response, const Peer& /*source*/) {
  Entry entry(*this);
  forward_response(response);
}

void ProxyCore::forward_response(const sip::Message& response) {
  if (config_.mode == ProxyMode::kRedirect) return;
  // §16.11: a response whose top Via is not ours is "silently discarded"; ours comes off and
  // the rest goes to the next Via (§18.2.2 rules).
  sip::Via top;
  if (!transaction::top_via(response, top) || !me().is_our_sent_by(top)) return;
  const std::optional<std::string> up = without_top_via(response);
  if (up) send_by_via(*up);
}

void ProxyCore::send_by_via(std::string_view bytes) {
  sip::Message m;
  transport::ResponseRoute route;
  if (!sip::parse_datagram(bytes, m).ok() || !transport::route_response(m, 0, route)) return;
  if (const std::optional<transport::Target> t = route.target()) {
    (void)env_.send_stateless(bytes, transaction::to_peer(*t));
    return;
  }
  // RFC 3263 §5: a sent-by that is a name (and no received address): the name as a URI with
  // the Via's transport, so that a port means A/AAAA and no port means SRV first.
  sip::Via top;
  if (route.host.empty() || !transaction::top_via(m, top)) return;
  std::string text = "sip:";
  text.append(route.host);
  if (top.has_port || top.rport_value >= 0) text.append(":").append(std::to_string(route.port));
  text.append(";transport=").append(transport::to_string(route.transport));
  sip::Uri name;
  if (!sip::parse_uri(text, name).empty()) return;
  resolver_.resolve(name, false, [this, copy = std::string(bytes)](std::vector<transport::Target> destinations) {
    if (!destinations.empty()) (void)env_.send_stateless(copy, transaction::to_peer(destinations.front()));
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers.

void ProxyCore::respond(TransactionId tx, const sip::Message& request, int status, std::string_view reason,
                        std::span<const sip::HeaderLine> headers) {
  sip::ResponseOptions options;
  options.headers = headers;
  const std::string tag = status == 100 ? std::string() : sip::make_tag(random_);
  sip::BuildResult r = sip::make_response(request, status, reason, tag, options);
  if (r.ok()) (void)env_.respond(tx, r.bytes);
  if (status >= 200) log(request.method_name(), request.request_uri(), status, 0);
}

void ProxyCore::log(std::string_view method, std::string_view request_uri, int status, std::size_t branches) {
  if (!logger_.enabled(transport::LogLevel::kInfo)) return;
  std::string line;
  line.reserve(method.size() + request_uri.size() + 32);
  line.append(method).append(" ").append(request_uri).append(" -> ").append(std::to_string(status));
  if (branches == 0) {
    line.append(" (local)");
  } else {
    line.append(" (").append(std::to_string(branches)).append(branches == 1 ? " branch)" : " branches)");
  }
  logger_.log(transport::LogLevel::kInfo, line);
}

ResponseContext* ProxyCore::context(TransactionId server_tx) {
  auto it = contexts_.find(server_tx);
  return it == contexts_.end() ? nullptr : it->second.get();
}

ResponseContext* ProxyCore::context_of(TransactionId client_tx, std::size_t& index) {
  auto it = branch_of_.find(client_tx);
  if (it == branch_of_.end()) return nullptr;
  index = it->second.index;
  return context(it->second.server_tx);
}

void ProxyCore::release_finished() {
  // §16.7 item 9: the context lives until every transaction it made has ended.
  std::vector<TransactionId> touched;
  touched.swap(touched_);
  for (const TransactionId id : touched) {
    auto it = contexts_.find(id);
    if (it == contexts_.end()) continue;
    ResponseContext& c = *it->second;
    if (!(c.final_sent || !c.server_live) || !c.all_branches_done() || c.any_transaction_live()) continue;
    for (Branch& b : c.branches) stop_timers(b);
    contexts_.erase(it);
  }
}

}  // namespace trapezoid::proxy
