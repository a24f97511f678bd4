#include "lint_json.hpp"

#include <nlohmann/json.hpp>

#include "sip/auth_header.hpp"
#include "sip/contact.hpp"
#include "sip/cseq.hpp"
#include "sip/delta_seconds.hpp"
#include "sip/event_header.hpp"
#include "sip/header_list.hpp"
#include "sip/media_type.hpp"
#include "sip/name_addr.hpp"
#include "sip/uri.hpp"
#include "sip/via.hpp"

namespace trapezoid::apps {
namespace {

using Json = nlohmann::ordered_json;

std::string str(std::string_view v) { return std::string(v); }

Json params_json(const sip::Params& params) {
  Json out = Json::object();
  params.for_each([&](const sip::Param& p) {
    out[str(p.name)] = p.has_value ? Json(str(p.value)) : Json(true);
  });
  return out;
}

Json uri_json(std::string_view text) {
  sip::Uri u;
  Json out = {{"text", str(text)}};
  if (std::string_view err = sip::parse_uri(text, u); !err.empty()) {
    out["error"] = str(err);
    return out;
  }
  out["scheme"] = str(u.scheme_name);
  if (u.scheme == sip::UriScheme::kOther) {
    out["opaque"] = str(u.opaque);
    return out;
  }
  if (u.has_user) out["user"] = str(u.user);
  if (u.has_password) out["password"] = str(u.password);
  if (!u.host.empty()) out["host"] = str(u.host);
  if (u.has_port) out["port"] = u.port;
  if (!u.params.empty()) out["params"] = params_json(sip::Params(u.params));
  if (!u.headers.empty()) out["headers"] = str(u.headers);
  return out;
}

Json name_addr_json(const sip::NameAddr& a) {
  Json out = Json::object();
  if (!a.display_name.empty()) out["display_name"] = sip::unquote(a.display_name);
  out["uri"] = uri_json(a.uri);
  if (auto tag = a.params.get("tag")) out["tag"] = str(*tag);
  if (!a.params.empty()) out["params"] = params_json(a.params);
  return out;
}

Json via_json(std::string_view text) {
  sip::Via v;
  if (std::string_view err = sip::parse_via(text, v); !err.empty()) return {{"error", str(err)}};
  Json out = {{"protocol", str(v.protocol_name) + "/" + str(v.protocol_version)},
              {"transport", str(v.transport)},
              {"host", str(v.host)}};
  if (v.has_port) out["port"] = v.port;
  if (!v.branch.empty()) out["branch"] = str(v.branch);
  if (!v.received.empty()) out["received"] = str(v.received);
  if (v.rport) out["rport"] = v.rport_value >= 0 ? Json(v.rport_value) : Json(true);
  if (!v.maddr.empty()) out["maddr"] = str(v.maddr);
  if (v.ttl >= 0) out["ttl"] = v.ttl;
  if (!v.params.empty()) out["params"] = params_json(v.params);
  return out;
}

Json auth_json(const sip::AuthValue& v) {
  Json out = {{"scheme", str(v.scheme)}};
  if (!v.token68.empty()) out["token68"] = str(v.token68);
  Json params = Json::object();
  for (const sip::AuthParam& p : v.params()) params[str(p.name)] = p.text();
  if (!params.empty()) out["params"] = std::move(params);
  return out;
}

// Applies `one` to each element of a list header value and returns the array.
template <class F>
Json list_json(std::string_view value, F one) {
  Json out = Json::array();
  if (!sip::for_each_list_element(value, [&](std::string_view e) {
        out.push_back(one(e));
        return true;
      }))
    out.push_back({{"error", "malformed list"}});
  return out;
}

Json typed_json(const sip::HeaderField& h) {
  using sip::HeaderId;
  switch (h.id) {
    case HeaderId::kVia: return list_json(h.value, via_json);
    case HeaderId::kFrom:
    case HeaderId::kTo:
    case HeaderId::kReplyTo: {
      sip::NameAddr a;
      if (std::string_view err = sip::parse_name_addr(h.value, a); !err.empty()) return {{"error", str(err)}};
      return name_addr_json(a);
    }
    case HeaderId::kRoute:
    case HeaderId::kRecordRoute:
    case HeaderId::kPath:
      return list_json(h.value, [](std::string_view e) -> Json {
        sip::NameAddr a;
        if (std::string_view err = sip::parse_name_addr(e, a, sip::AddrForm::kNameAddrOnly); !err.empty())
          return {{"error", str(err)}};
        return name_addr_json(a);
      });
    case HeaderId::kContact:
      return list_json(h.value, [](std::string_view e) -> Json {
        sip::Contact c;
        if (std::string_view err = sip::parse_contact(e, c); !err.empty()) return {{"error", str(err)}};
        if (c.star) return "*";
        Json out = name_addr_json(c.address);
        if (c.q >= 0) out["q"] = c.q / 1000.0;
        if (c.expires >= 0) out["expires"] = c.expires;
        return out;
      });
    case HeaderId::kCSeq: {
      sip::CSeq c;
      if (std::string_view err = sip::parse_cseq(h.value, c); !err.empty()) return {{"error", str(err)}};
      return {{"number", c.number}, {"method", str(c.method_name)}};
    }
    case HeaderId::kMaxForwards: {
      int mf = 0;
      if (!sip::parse_max_forwards(h.value, mf)) return {{"error", "Malformed Max-Forwards"}};
      return mf;
    }
    case HeaderId::kExpires:
    case HeaderId::kMinExpires:
    case HeaderId::kContentLength: {
      std::uint32_t secs = 0;
      if (!sip::parse_delta_seconds(h.value, secs)) return {{"error", "not a number"}};
      return secs;
    }
    case HeaderId::kContentType: {
      sip::MediaType t;
      if (std::string_view err = sip::parse_media_type(h.value, t); !err.empty()) return {{"error", str(err)}};
      Json out = {{"type", str(t.type)}, {"subtype", str(t.subtype)}};
      if (!t.params.empty()) out["params"] = params_json(t.params);
      return out;
    }
    case HeaderId::kRequire:
    case HeaderId::kSupported:
    case HeaderId::kUnsupported:
    case HeaderId::kProxyRequire:
    case HeaderId::kAllow:
      return list_json(h.value, [](std::string_view e) -> Json { return str(e); });
    case HeaderId::kWwwAuthenticate:
    case HeaderId::kProxyAuthenticate: {
      sip::Challenge c;
      if (std::string_view err = sip::parse_challenge(h.value, c, h.id); !err.empty()) return {{"error", str(err)}};
      return auth_json(c);
    }
    case HeaderId::kAuthorization:
    case HeaderId::kProxyAuthorization: {
      sip::Credentials c;
      if (std::string_view err = sip::parse_credentials(h.value, c, h.id); !err.empty()) return {{"error", str(err)}};
      return auth_json(c);
    }
    case HeaderId::kEvent: {
      sip::Event e;
      if (std::string_view err = sip::parse_event(h.value, e); !err.empty()) return {{"error", str(err)}};
      Json out = {{"package", str(e.package)}};
      if (!e.templates.empty()) out["templates"] = str(e.templates);
      if (e.id) out["id"] = str(*e.id);
      return out;
    }
    case HeaderId::kSubscriptionState: {
      sip::SubscriptionState st;
      if (std::string_view err = sip::parse_subscription_state(h.value, st); !err.empty()) return {{"error", str(err)}};
      Json out = {{"state", str(st.state_name)}};
      if (!st.reason.empty()) out["reason"] = str(st.reason);
      if (st.expires) out["expires"] = *st.expires;
      if (st.retry_after) out["retry_after"] = *st.retry_after;
      return out;
    }
    default: return nullptr;
  }
}

}  // namespace

std::string lint_json(std::string_view file, const sip::Inspection& verdict, const sip::Message& msg) {
  Json out = {{"file", str(file)}};
  if (verdict.ok()) {
    out["verdict"] = "ok";
  } else {
    out["verdict"] = {{"status", verdict.status}, {"reason", str(verdict.reason)}};
    if (!verdict.detail.empty()) out["verdict"]["detail"] = str(verdict.detail);
    if (verdict.is_response) out["verdict"]["action"] = "drop";
  }
  if (verdict.parsed) {
    if (msg.is_request())
      out["start_line"] = {{"type", "request"}, {"method", str(msg.method_name())},
                           {"request_uri", uri_json(msg.request_uri())}, {"version", str(msg.version())}};
    else
      out["start_line"] = {{"type", "response"}, {"version", str(msg.version())},
                           {"status", msg.status_code()}, {"reason", str(msg.reason_phrase())}};
    Json headers = Json::array();
    for (const sip::HeaderField& h : msg.headers()) {
      Json one = {{"name", str(h.name)}, {"value", str(h.value)}};
      if (h.id != sip::HeaderId::kUnknown) {
        one["canonical"] = str(sip::header_name(h.id));
        Json typed = typed_json(h);
        if (!typed.is_null()) one["typed"] = std::move(typed);
      }
      headers.push_back(std::move(one));
    }
    out["headers"] = std::move(headers);
    out["body_length"] = msg.body().size();
  }
  // Message bytes need not be UTF-8: replace what is not rather than fail.
  return out.dump(2, ' ', false, Json::error_handler_t::replace);
}

}  // namespace trapezoid::apps
