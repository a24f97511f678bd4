#include "registrar/registrar.hpp"

#include <array>
#include <span>
#include <utility>

#include "registrar/aor.hpp"
#include "registrar/binding_plan.hpp"
#include "registrar/sip_date.hpp"
#include "sip/charset.hpp"
#include "sip/header_list.hpp"
#include "sip/name_addr.hpp"
#include "sip/response.hpp"
#include "sip/uri.hpp"

namespace trapezoid::registrar {
namespace {

constexpr std::string_view kPathTag = "path";
constexpr std::array<std::string_view, 1> kPathSupported = {kPathTag};

// Fills the outcome with a response built from the request (§8.2.6).
void respond(RegisterOutcome& out, const sip::Message& request, const RegisterContext& ctx, int status,
             std::string_view reason, std::span<const sip::HeaderLine> headers = {}) {
  out.status = status;
  out.reason = reason;
  sip::BuildResult built = sip::make_response(request, status, reason, ctx.to_tag, {.headers = headers});
  out.response = std::move(built.bytes);
  out.build_error = built.error;
}

// A qvalue (§25.1) from thousandths: 1000 -> "1", 500 -> "0.5", 0 -> "0", 5 -> "0.005".
std::string format_q(int thousandths) {
  if (thousandths >= 1000) return "1";
  if (thousandths <= 0) return "0";
  std::string q = "0.";
  q.push_back(static_cast<char>('0' + thousandths / 100));
  q.push_back(static_cast<char>('0' + thousandths / 10 % 10));
  q.push_back(static_cast<char>('0' + thousandths % 10));
  while (q.back() == '0') q.pop_back();
  return q;
}

// A quoted-string (§25.1) holding `text`, with '"' and '\' escaped as quoted-pairs.
void append_quoted(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

// One Contact value of the 200 (§10.3 step 8): the URI in angle brackets (so that its own
// parameters stay the URI's), the remaining interval, q, and the +sip.instance (RFC 5626), by
// which a UA recognises its own binding.
std::string contact_value(const Binding& b, UnixSeconds now) {
  std::string v;
  v.reserve(b.contact.size() + 24 + b.instance.size());
  v.push_back('<');
  v.append(b.contact);
  v.append(">;expires=");
  v.append(std::to_string(b.expires_at > now ? b.expires_at - now : 0));
  if (b.q >= 0) v.append(";q=").append(format_q(b.q));
  if (!b.instance.empty()) {
    v.append(";+sip.instance=");
    append_quoted(v, b.instance);
  }
  return v;
}

// The Require option tags this registrar does not support, ", "-joined (§8.2.2.3).
std::string unsupported_tags(const sip::Message& request, bool support_path) {
  std::string tags;
  (void)sip::for_each_element(request, sip::HeaderId::kRequire, [&](std::string_view tag) {
    if (support_path && sip::charset::iequals(tag, kPathTag)) return true;
    if (!tags.empty()) tags.append(", ");
    tags.append(tag);
    return true;
  });
  return tags;
}

}  // namespace

std::string registrar_config_error(const RegistrarConfig& config) {
  if (config.foreign_domain_status != 403 && config.foreign_domain_status != 404)
    return "foreign_domain_status must be 403 or 404, not " + std::to_string(config.foreign_domain_status);
  if (config.min_expires > config.max_expires)
    return "min_expires (" + std::to_string(config.min_expires) + ") is above max_expires (" +
           std::to_string(config.max_expires) + ")";
  return {};
}

Registrar::Registrar(RegistrarConfig config, LocationService& bindings)
    : config_(std::move(config)), bindings_(bindings) {}

sip::ValidationPolicy Registrar::validation_policy() const noexcept {
  sip::ValidationPolicy policy;
  policy.role = sip::Role::kRegistrar;
  if (config_.support_path) policy.supported_extensions = kPathSupported;
  return policy;
}

RegisterOutcome Registrar::handle(const sip::Message& request, const RegisterContext& ctx) const {
  RegisterOutcome out;
  if (!request.is_request()) {
    out.reason = "Not A Request";
    out.build_error = sip::BuildError::kNotARequest;
    return out;
  }
  // §10.3: "it accepts only REGISTER requests".
  if (request.method() != sip::Method::kRegister) {
    const sip::HeaderLine allow[] = {{sip::HeaderId::kAllow, "REGISTER"}};
    respond(out, request, ctx, 405, "Method Not Allowed", allow);
    return out;
  }

  // Step 1: bindings for the Request-URI's domain must be ours.
  const sip::Uri* parsed_uri = request.parsed_request_uri();
  if (parsed_uri == nullptr) {
    respond(out, request, ctx, 400, "Malformed Request-URI");
    return out;
  }
  const sip::Uri& request_uri = *parsed_uri;
  if (!request_uri.is_sip_or_sips()) {
    respond(out, request, ctx, 416, "Unsupported URI Scheme");  // §8.2.2.1
    return out;
  }
  if (!bindings_.is_local_domain(request_uri.host)) {
    const int status = config_.foreign_domain_status == 403 ? 403 : 404;
    respond(out, request, ctx, status, "Domain Not Served Here");
    return out;
  }

  // Step 2: Require, as a UAS does (§8.2.2.3).
  if (std::string tags = unsupported_tags(request, config_.support_path); !tags.empty()) {
    const sip::HeaderLine unsupported[] = {{sip::HeaderId::kUnsupported, tags}};
    respond(out, request, ctx, 420, "Bad Extension", unsupported);
    return out;
  }
  // RFC 3327 §5.3: a Path the UA did not ask for (no "Supported: path") is refused, the
  // recommended policy, unless configured otherwise.
  const bool use_path = config_.support_path && request.count(sip::HeaderId::kPath) != 0;
  if (use_path && config_.path_needs_ua_support && !sip::list_contains(request, sip::HeaderId::kSupported, kPathTag)) {
    const sip::HeaderLine unsupported[] = {{sip::HeaderId::kUnsupported, kPathTag}};
    respond(out, request, ctx, 420, "Bad Extension", unsupported);
    return out;
  }

  // Step 3: authentication runs before handle() (registrar.hpp).
  // Step 4: authorization: every authenticated user may register its To (registrar.hpp).

  // Step 5: the address-of-record, valid for one of our domains, in canonical form.
  const sip::HeaderField* to_field = request.find(sip::HeaderId::kTo);
  if (to_field == nullptr) {
    respond(out, request, ctx, 400, "Missing To");
    return out;
  }
  sip::NameAddr to;
  if (!sip::parse_name_addr(to_field->value, to).empty()) {
    respond(out, request, ctx, 400, "Malformed To");
    return out;
  }
  AorResult aor = canonical_aor(to.parsed_uri);
  if (!aor.ok()) {
    respond(out, request, ctx, aor.status, aor.reason);
    return out;
  }
  out.aor = std::move(aor.aor);
  if (!bindings_.is_local_domain(aor_host(out.aor))) {
    respond(out, request, ctx, 404, "Address-of-Record Not Served Here");
    return out;
  }

  // Steps 6 and 7, first part: the contacts and their intervals, checked before any binding.
  RegisterRequest parsed;
  const ReadOptions options{
      .policy = {.default_expires = config_.default_expires,
                 .min_expires = config_.min_expires,
                 .max_expires = config_.max_expires},
      .read_path = config_.support_path,
      .request_uri_sips = request_uri.scheme == sip::UriScheme::kSips,
  };
  if (RequestVerdict v = read_register(request, options, parsed); !v.ok()) {
    if (v.status == 423) {
      const std::string min = std::to_string(config_.min_expires);
      const sip::HeaderLine min_expires[] = {{sip::HeaderId::kMinExpires, min}};  // §20.23
      respond(out, request, ctx, 423, v.reason, min_expires);
    } else {
      respond(out, request, ctx, v.status, v.reason);
    }
    return out;
  }

  // Steps 6 and 7, second part: the Call-ID/CSeq checks and the update, as one step under the
  // AoR's lock, so that no other REGISTER for it interleaves.
  const PlanContext plan_context{.now = ctx.now,
                                 .received = ctx.source,
                                 .max_contacts = config_.max_contacts_per_aor,
                                 .repeat_window = ctx.stateless ? kRetransmissionWindow : 0};
  PlanVerdict verdict;
  auto decide = [&](std::span<const StoredBinding> live, BindingEdit& edit) {
    verdict = plan_bindings(parsed, plan_context, live, edit);
    return verdict.ok();
  };
  UpdateResult update = bindings_.update(out.aor, ctx.now, decide);
  out.changes = std::move(update.changes);
  if (!verdict.ok()) {
    respond(out, request, ctx, verdict.status, verdict.reason);
    return out;
  }
  if (!update.committed) {  // plan_bindings never names a binding twice; kept as a safeguard
    respond(out, request, ctx, 500, "Binding Update Refused");
    return out;
  }

  // Step 8: 200 with every current binding.
  out.status = 200;
  out.reason = sip::default_reason(200);
  sip::ResponseBuilder builder = sip::make_response_builder(request, 200, {}, ctx.to_tag);
  for (const Binding& b : update.bindings) builder.header(sip::HeaderId::kContact, contact_value(b, ctx.now));
  builder.header(sip::HeaderId::kDate, format_sip_date(ctx.now));
  if (use_path && !parsed.path.empty()) builder.header(sip::HeaderId::kPath, parsed.path);  // RFC 3327 §5.3
  if (config_.support_path) builder.header(sip::HeaderId::kSupported, kPathTag);
  sip::BuildResult built = std::move(builder).build();
  out.response = std::move(built.bytes);
  out.build_error = built.error;
  return out;
}

}  // namespace trapezoid::registrar
