#include "sip/validate.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/parser.hpp"

namespace trapezoid::sip {
namespace {

// A message under construction: a start line, header lines in order, and a body. text() adds
// a Content-Length matching the body unless the test set one itself or asked for none.
struct Msg {
  std::string start;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool content_length = true;

  // RFC 3261 §24.2 F1, with the method put in the start line and in CSeq.
  static Msg request(std::string_view method = "INVITE", std::string_view ruri = "sip:bob@biloxi.com") {
    Msg m;
    m.start = std::string(method) + " " + std::string(ruri) + " SIP/2.0";
    m.headers = {
        {"Via", "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds"},
        {"Max-Forwards", "70"},
        {"To", "Bob <sip:bob@biloxi.com>"},
        {"From", "Alice <sip:alice@atlanta.com>;tag=1928301774"},
        {"Call-ID", "a84b4c76e66710@pc33.atlanta.com"},
        {"CSeq", "314159 " + std::string(method)},
        {"Contact", "<sip:alice@pc33.atlanta.com>"},
    };
    return m;
  }

  // RFC 3261 §24.1 F1 (registration).
  static Msg register_request() {
    Msg m;
    m.start = "REGISTER sip:registrar.biloxi.com SIP/2.0";
    m.headers = {
        {"Via", "SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7"},
        {"Max-Forwards", "70"},
        {"To", "Bob <sip:bob@biloxi.com>"},
        {"From", "Bob <sip:bob@biloxi.com>;tag=456248"},
        {"Call-ID", "843817637684230@998sdasdh09"},
        {"CSeq", "1826 REGISTER"},
        {"Contact", "<sip:bob@192.0.2.4>"},
        {"Expires", "7200"},
    };
    return m;
  }

  // RFC 3261 §24.2 F6 (200 OK to the INVITE).
  static Msg response(std::string_view status_line = "SIP/2.0 200 OK") {
    Msg m;
    m.start = std::string(status_line);
    m.headers = {
        {"Via", "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1"},
        {"To", "Bob <sip:bob@biloxi.com>;tag=a6c85cf"},
        {"From", "Alice <sip:alice@atlanta.com>;tag=1928301774"},
        {"Call-ID", "a84b4c76e66710@pc33.atlanta.com"},
        {"CSeq", "314159 INVITE"},
        {"Contact", "<sip:bob@192.0.2.4>"},
    };
    return m;
  }

  // Replaces the value of the first header with this exact name, or appends one.
  Msg& set(std::string_view name, std::string_view value) {
    for (auto& [n, v] : headers)
      if (n == name) {
        v = std::string(value);
        return *this;
      }
    return add(name, value);
  }
  Msg& add(std::string_view name, std::string_view value) {
    headers.emplace_back(std::string(name), std::string(value));
    return *this;
  }
  Msg& remove(std::string_view name) {
    std::erase_if(headers, [&](const auto& h) { return h.first == name; });
    return *this;
  }
  Msg& with_body(std::string_view type, std::string_view b) {
    if (!type.empty()) set("Content-Type", type);
    body = std::string(b);
    return *this;
  }

  [[nodiscard]] std::string text() const {
    std::string out = start + "\r\n";
    bool has_length = false;
    for (const auto& [n, v] : headers) {
      out += n + ": " + v + "\r\n";
      has_length = has_length || n == "Content-Length" || n == "l";
    }
    if (content_length && !has_length) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return out + "\r\n" + body;
  }
};

// Parsed bytes kept alive with the Message and its Verdict (whose detail points into them).
struct Run {
  std::string text;
  Message msg;
  bool parsed = false;
  Verdict verdict;
};

std::unique_ptr<Run> parse(const Msg& m) {
  auto r = std::make_unique<Run>();
  r->text = m.text();
  r->parsed = parse_datagram(r->text, r->msg).ok();
  return r;
}

std::unique_ptr<Run> request(const Msg& m, const ValidationPolicy& policy = {}) {
  auto r = parse(m);
  EXPECT_TRUE(r->parsed) << r->text;
  if (!r->parsed) return r;
  r->verdict = validate_request(r->msg, policy);
  // A message whose syntax was checked on receipt (Message::mark_syntax_valid, as the
  // transport does) gets the same verdict, whatever shortcut the role takes.
  if (validate_syntax(r->msg).ok()) {
    r->msg.mark_syntax_valid();
    const Verdict marked = validate_request(r->msg, policy);
    EXPECT_EQ(marked.status, r->verdict.status) << r->text;
    EXPECT_EQ(marked.reason, r->verdict.reason) << r->text;
    EXPECT_EQ(marked.detail, r->verdict.detail) << r->text;
  }
  return r;
}

std::unique_ptr<Run> syntax(const Msg& m) {
  auto r = parse(m);
  EXPECT_TRUE(r->parsed) << r->text;
  if (r->parsed) r->verdict = validate_syntax(r->msg);
  return r;
}

std::unique_ptr<Run> response(const Msg& m) {
  auto r = parse(m);
  EXPECT_TRUE(r->parsed) << r->text;
  if (r->parsed) r->verdict = validate_response(r->msg);
  return r;
}

ValidationPolicy policy_for(Role role) {
  ValidationPolicy p;
  p.role = role;
  return p;
}

#define EXPECT_VERDICT(run, code, why)                  \
  do {                                                  \
    const auto& run_ = (run);                           \
    EXPECT_EQ(run_->verdict.status, (code)) << run_->text; \
    EXPECT_EQ(run_->verdict.reason, std::string_view(why)) << run_->text; \
  } while (false)

#define EXPECT_OK(run)                                                                        \
  do {                                                                                        \
    const auto& run_ = (run);                                                                 \
    EXPECT_TRUE(run_->verdict.ok()) << run_->verdict.status << ' ' << run_->verdict.reason << '\n' \
                                    << run_->text;                                            \
  } while (false)

constexpr std::array<Role, 3> kRoles = {Role::kUas, Role::kProxy, Role::kRegistrar};

// ============================================================================================
// Well-formed messages
// ============================================================================================

TEST(Validate, WellFormedInvitePassesEveryRole) {
  const Msg m = Msg::request().with_body("application/sdp", "v=0\r\n");
  EXPECT_OK(syntax(m));
  for (Role role : kRoles) EXPECT_OK(request(m, policy_for(role)));
}

TEST(Validate, WellFormedRegisterPassesEveryRole) {
  for (Role role : kRoles) EXPECT_OK(request(Msg::register_request(), policy_for(role)));
}

TEST(Validate, EveryKnownMethodPassesTheUas) {
  for (std::string_view method : {"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "INFO", "PRACK",
                                  "SUBSCRIBE", "NOTIFY", "UPDATE", "MESSAGE", "REFER", "PUBLISH"}) {
    EXPECT_OK(request(Msg::request(method)));
  }
}

// RFC 4475 §3.1.1.1 (wsinv) has Max-Forwards and CSeq with leading zeros, folds everywhere, an
// empty Subject and compact names.
TEST(Validate, ToleratesWhitespaceFoldsAndCompactForms) {
  Msg m;
  m.start = "INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0";
  m.headers = {
      {"TO", "\r\n sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n"},
      {"from  ", "\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8"},
      {"MaX-fOrWaRdS", "0068"},
      {"Call-ID", "wsinv.ndaksdj@192.0.2.1"},
      {"cseq", "0009\r\n  INVITE"},
      {"Via  ", "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw"},
      {"s ", ""},
      {"NewFangledHeader", "  newfangled value\r\n continued newfangled value"},
      {"UnknownHeaderWithUnusualValue", ";;,,;;,;"},
      {"Route", "\r\n <sip:services.example.com;lr;unknownwith=value;unknown-no-value>"},
      {"v", " SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8  ,\r\n"
            " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239"},
      {"m", "\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n"
            "  secondparam ; q = 0.33"},
  };
  EXPECT_OK(syntax(m));
  EXPECT_OK(request(m));
}

// RFC 4475 §3.1.1.6 (lwsdisp).
TEST(Validate, AcceptsDisplayNameWithoutSpaceBeforeBracket) {
  EXPECT_OK(syntax(Msg::request("OPTIONS").set("From", "caller<sip:caller@example.com>;tag=323")));
}

// RFC 4475 §3.1.1.2 (intmeth): the widest character sets the grammar allows, including NUL,
// BEL and DEL as quoted-pairs in a display name. The UAS does not know the method (501), but the
// message is well formed.
TEST(Validate, AcceptsTheWholeCharacterSetOfTheGrammar) {
  const std::string method = "!interesting-Method0123456789_*+`.%indeed'~";
  Msg m = Msg::request(method,
                       "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
                       "(doesn't-it)@example.com");
  m.set("Via", "SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~")
      .set("To", std::string("\"BEL:\\\x07 NUL:\\") + '\0' +
                     " DEL:\\\x7F\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>")
      .set("From",
           "token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="
           "\"\xD1\x80\xD0\xB0\xD0\xB1\xD0\xBE\xD1\x82\xD0\xB0\xD1\x8E\xD1\x89\xD0\xB8\xD0\xB9\";"
           "tag=_token~1'+`*%!-.")
      .set("Call-ID", "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{")
      .set("Max-Forwards", "255")
      .add("extensionHeader-!.%*+_`'~", "\xEF\xBB\xBF\xE5\xA4\xA7\xE5\x81\x9C\xE9\x9B\xBB");
  EXPECT_OK(syntax(m));
  EXPECT_VERDICT(request(m), 501, "Not Implemented");
  EXPECT_OK(request(m, policy_for(Role::kProxy)));
}

// RFC 2543-era requests (RFC 4475 §3.4.1 inv2543): no branch, no From tag, no Max-Forwards.
TEST(Validate, AcceptsRfc2543StyleRequests) {
  Msg m = Msg::request();
  m.set("Via", "SIP/2.0/UDP 192.0.2.15").set("From", "sip:caller@example.net").remove("Max-Forwards");
  EXPECT_OK(syntax(m));
  EXPECT_OK(request(m));
}

// ============================================================================================
// validate_syntax: message kind and version
// ============================================================================================

TEST(Validate, SyntaxRejectsAResponse) {
  auto r = syntax(Msg::response());
  EXPECT_VERDICT(r, 400, "Not A Request");
  auto q = request(Msg::response());
  EXPECT_VERDICT(q, 400, "Not A Request");
}

// §8.2 / §16.3 step 1 (RFC 4475 §3.1.2.16 badvers): an unknown version is 505, checked first.
TEST(Validate, UnknownVersionIs505) {
  Msg m = Msg::request();
  m.start = "INVITE sip:bob@biloxi.com SIP/7.0";
  EXPECT_VERDICT(syntax(m), 505, "Version Not Supported");
  for (Role role : kRoles) EXPECT_VERDICT(request(m, policy_for(role)), 505, "Version Not Supported");
  m.start = "INVITE sip:bob@biloxi.com SIP/2.1";
  EXPECT_VERDICT(syntax(m), 505, "Version Not Supported");
  m.start = "INVITE sip:bob@biloxi.com SIP/1.0";
  EXPECT_VERDICT(syntax(m), 505, "Version Not Supported");
  // Before anything else: a broken header does not turn the 505 into a 400.
  m.start = "INVITE sip:bob@biloxi.com SIP/3.0";
  m.remove("Call-ID");
  EXPECT_VERDICT(syntax(m), 505, "Version Not Supported");
}

// §7.1: the SIP-Version string is case-insensitive.
TEST(Validate, VersionIsCaseInsensitive) {
  Msg m = Msg::request();
  m.start = "INVITE sip:bob@biloxi.com sip/2.0";
  EXPECT_OK(syntax(m));
}

// ============================================================================================
// validate_syntax: Request-URI
// ============================================================================================

TEST(Validate, MalformedRequestUriIs400) {
  for (std::string_view ruri : {"sip:", "sip:user@", "sip:@example.com", "sip:a@b..c", "sip:a@b:99999",
                                "sip:a@[::1", "1sip:a@b", "<sip:a@b>", "sip:a@b;=x"}) {
    EXPECT_VERDICT(syntax(Msg::request("INVITE", ruri)), 400, "Malformed Request-URI");
  }
}

// §19.1.1 table: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11 escruri).
TEST(Validate, HeadersInSipRequestUriAre400) {
  EXPECT_VERDICT(syntax(Msg::request("INVITE", "sip:user@example.com?Route=%3Csip:example.com%3E")), 400,
                 "Headers Not Allowed In Request-URI");
  EXPECT_VERDICT(syntax(Msg::request("INVITE", "sips:user@example.com?subject=x")), 400,
                 "Headers Not Allowed In Request-URI");
}

// RFC 4475 §3.3.2 (unkscm) and §3.3.3 (novelsc): the syntax is fine, the scheme is not.
TEST(Validate, UnknownRequestUriSchemeIsWellFormedBut416) {
  for (std::string_view ruri : {"nobodyKnowsThisScheme:totallyopaquecontent", "soap.beep://192.0.2.103:3002",
                                "http://example.com/x?y=z", "mailto:bob@biloxi.com"}) {
    const Msg m = Msg::request("OPTIONS", ruri);
    EXPECT_OK(syntax(m));
    for (Role role : kRoles) EXPECT_VERDICT(request(m, policy_for(role)), 416, "Unsupported URI Scheme");
  }
}

TEST(Validate, SipsAndTelRequestUrisAreUnderstood) {
  EXPECT_OK(request(Msg::request("INVITE", "sips:bob@biloxi.com")));
  EXPECT_OK(request(Msg::request("INVITE", "tel:+1-201-555-0123")));
  EXPECT_OK(request(Msg::request("INVITE", "SIP:bob@biloxi.com")));
}

// ============================================================================================
// validate_syntax: mandatory headers (§8.1.1)
// ============================================================================================

TEST(Validate, EachMandatoryHeaderIsRequired) {
  for (std::string_view name : {"Via", "From", "To", "Call-ID", "CSeq"}) {
    Msg m = Msg::request();
    m.remove(name);
    EXPECT_VERDICT(syntax(m), 400, "Missing " + std::string(name));
    Msg r = Msg::response();
    r.remove(name);
    EXPECT_VERDICT(response(r), 400, "Missing " + std::string(name));
  }
}

// RFC 4475 §3.3.1 (insuf): no Call-ID, From or To; Via is checked first, then From.
TEST(Validate, MissingHeadersAreReportedInOrder) {
  Msg m = Msg::request();
  m.remove("Call-ID").remove("From").remove("To");
  EXPECT_VERDICT(syntax(m), 400, "Missing From");
  m.remove("Via");
  EXPECT_VERDICT(syntax(m), 400, "Missing Via");
}

TEST(Validate, CompactFormsSatisfyMandatoryHeaders) {
  Msg m = Msg::request();
  m.remove("Via").remove("From").remove("To").remove("Call-ID");
  m.add("v", "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds")
      .add("f", "<sip:alice@atlanta.com>;tag=1")
      .add("t", "<sip:bob@biloxi.com>")
      .add("i", "abc");
  EXPECT_OK(syntax(m));
}

// Max-Forwards is mandatory for senders (§8.1.1.6) but a receiver lets it pass (§16.3 step 3).
TEST(Validate, MissingMaxForwardsIsTolerated) {
  for (Role role : kRoles) EXPECT_OK(request(Msg::request().remove("Max-Forwards"), policy_for(role)));
}

// ============================================================================================
// validate_syntax: single-value headers (RFC 4475 §3.3.8 multi01)
// ============================================================================================

TEST(Validate, RepeatedSingleValueHeadersAre400) {
  struct Case {
    std::string_view name;
    std::string_view value;
    std::string_view reason;
  };
  for (const Case& c : {Case{"Call-ID", "other@example.com", "Multiple Call-ID Headers"},
                        Case{"To", "<sip:carol@chicago.com>", "Multiple To Headers"},
                        Case{"From", "<sip:carol@chicago.com>;tag=2", "Multiple From Headers"},
                        Case{"Max-Forwards", "5", "Multiple Max-Forwards Headers"},
                        Case{"CSeq", "1 INVITE", "Multiple CSeq Headers"},
                        Case{"Expires", "5", "Multiple Expires Headers"},
                        Case{"Subject", "again", "Multiple Subject Headers"}}) {
    Msg m = Msg::request();
    if (c.name == "Expires" || c.name == "Subject") m.add(c.name, "1");
    m.add(c.name, c.value);
    EXPECT_VERDICT(syntax(m), 400, c.reason);
  }
}

// §25.1: Supported and Allow may list nothing ("Supported:" as baresip sends it); the
// option-tag lists that demand something (Require, Proxy-Require, Unsupported) may not.
TEST(Validate, EmptySupportedAndAllowAreWellFormed) {
  EXPECT_OK(syntax(Msg::request().add("Supported", "")));
  EXPECT_OK(syntax(Msg::request().add("Allow", " ")));
  EXPECT_OK(syntax(Msg::request().add("Supported", "").add("Supported", "path")));
  EXPECT_VERDICT(syntax(Msg::request().add("Supported", "path,")), 400, "Malformed Supported");
  EXPECT_VERDICT(syntax(Msg::request().add("Allow", "INVITE,,ACK")), 400, "Malformed Allow");
  EXPECT_VERDICT(syntax(Msg::request().add("Require", "")), 400, "Malformed Require");
  EXPECT_VERDICT(syntax(Msg::request().add("Proxy-Require", "")), 400, "Malformed Proxy-Require");
  EXPECT_VERDICT(syntax(Msg::request().add("Unsupported", "")), 400, "Malformed Unsupported");
}

TEST(Validate, CompactAndFullFormsCountAsTheSameHeader) {
  EXPECT_VERDICT(syntax(Msg::request().add("i", "second@example.com")), 400, "Multiple Call-ID Headers");
  EXPECT_VERDICT(syntax(Msg::request().add("f", "<sip:x@y.z>;tag=9")), 400, "Multiple From Headers");
  EXPECT_VERDICT(syntax(Msg::request().add("t", "<sip:x@y.z>")), 400, "Multiple To Headers");
}

// §7.3.1: list headers may repeat.
TEST(Validate, RepeatedListHeadersAreFine) {
  Msg m = Msg::request();
  m.add("Via", "SIP/2.0/UDP p2.example.com;branch=z9hG4bK2")
      .add("Route", "<sip:p1.example.com;lr>")
      .add("Route", "<sip:p2.example.com;lr>")
      .add("Supported", "timer")
      .add("Supported", "100rel")
      .add("X-Unknown", "1")
      .add("X-Unknown", "2");
  EXPECT_OK(syntax(m));
}

// ============================================================================================
// validate_syntax: typed header syntax
// ============================================================================================

// RFC 4475 §3.1.2.1 (badinv01).
TEST(Validate, MalformedViaIs400) {
  for (std::string_view via : {"SIP/2.0/UDP 192.0.2.15;;,;,,", "SIP/2.0/UDP", "SIP/2.0 host",
                               "SIP/2.0/UDP h;ttl=300", "SIP/2.0/UDP h;branch=z9hG4bK1 junk",
                               "SIP/2.0/UDP h;branch=z9hG4bK1,", "SIP/2.0/UDP [::1"}) {
    EXPECT_VERDICT(syntax(Msg::request().set("Via", via)), 400, "Malformed Via");
  }
  // A bad Via on a later line.
  EXPECT_VERDICT(syntax(Msg::request().add("Via", "SIP/2.0/UDP")), 400, "Malformed Via");
  // A bad element after a good one on the same line.
  EXPECT_VERDICT(syntax(Msg::request().set("Via", "SIP/2.0/UDP a.example.com;branch=z9hG4bK1, bogus")), 400,
                 "Malformed Via");
  // A comma inside a quoted parameter value does not end the element: one well-formed Via,
  // whether the element is checked as the message's top Via or as part of the list.
  EXPECT_OK(syntax(Msg::request().set("Via", "SIP/2.0/UDP a.example.com;branch=z9hG4bK1;x=\"p,q\"")));
  EXPECT_VERDICT(syntax(Msg::request().set("Via", "SIP/2.0/UDP a.example.com;branch=z9hG4bK1;x=\"p,q\" junk")),
                 400, "Malformed Via");
}

// RFC 4475 §3.1.2.15 (baddn), §3.1.2.6 (quotbal), §3.1.2.14 (badaspec).
TEST(Validate, MalformedFromOrToIs400) {
  EXPECT_VERDICT(syntax(Msg::request().set("From", "Bell, Alexander <sip:a.g.bell@example.com>;tag=43")), 400,
                 "Malformed From");
  EXPECT_VERDICT(syntax(Msg::request().set("To", "Watson, Thomas <sip:t.watson@example.org>")), 400,
                 "Malformed To");
  EXPECT_VERDICT(syntax(Msg::request().set("To", "\"Mr. J. User <sip:j.user@example.com>")), 400, "Malformed To");
  EXPECT_VERDICT(syntax(Msg::request().set("To", "\"Watson, Thomas\" < sip:t.watson@example.org >")), 400,
                 "Malformed To");
  EXPECT_VERDICT(syntax(Msg::request().set("From", "sip:caller@example.net?x=y;tag=1")), 400, "Malformed From");
  EXPECT_VERDICT(syntax(Msg::request().set("From", "")), 400, "Malformed From");
}

// RFC 4475 §3.3.4 (unksm2): other schemes in To/From/Contact parse fine.
TEST(Validate, UnknownSchemesInAddressHeadersAreWellFormed) {
  Msg m = Msg::request("OPTIONS");
  m.set("To", "isbn:2983792873").set("From", "<http://www.example.com>;tag=3234233").set("Contact",
                                                                                     "<name:John_Smith>");
  EXPECT_OK(syntax(m));
  EXPECT_OK(request(m, policy_for(Role::kProxy)));
  EXPECT_OK(request(m, policy_for(Role::kUas)));
}

// callid = word [ "@" word ] (§25.1).
TEST(Validate, CallIdSyntax) {
  for (std::string_view good : {"a84b4c76e66710@pc33.atlanta.com", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
                                "()<>:\\\"/[]?{}@x", "a.b!%*_+`'~"}) {
    EXPECT_OK(syntax(Msg::request().set("Call-ID", good)));
  }
  for (std::string_view bad : {"", "a b", "@x", "x@", "a@b@c", "a;b", "a,b", "caf\xC3\xA9", "a=b"}) {
    EXPECT_VERDICT(syntax(Msg::request().set("Call-ID", bad)), 400, "Malformed Call-ID");
  }
}

// RFC 4475 §3.1.2.4 (scalar02) and §3.1.2.17 (mismatch01 parses).
TEST(Validate, MalformedCSeqIs400) {
  for (std::string_view cseq : {"4294967296 INVITE", "INVITE", "1", "-1 INVITE", "1 INVITE x", "1.0 INVITE"}) {
    EXPECT_VERDICT(syntax(Msg::request().set("CSeq", cseq)), 400, "Malformed CSeq");
  }
  EXPECT_OK(syntax(Msg::request().set("CSeq", "4294967295 INVITE")));
  EXPECT_OK(syntax(Msg::request().set("CSeq", "0 INVITE")));
}

// §20.22: Max-Forwards = 1*DIGIT, 0..255.
TEST(Validate, MalformedMaxForwardsIs400) {
  for (std::string_view mf : {"256", "-1", "seventy", "", "1 2", "300000000000000000000"}) {
    EXPECT_VERDICT(syntax(Msg::request().set("Max-Forwards", mf)), 400, "Malformed Max-Forwards");
  }
  EXPECT_OK(syntax(Msg::request().set("Max-Forwards", "255")));
  EXPECT_OK(syntax(Msg::request().set("Max-Forwards", "0")));
  EXPECT_OK(syntax(Msg::request().set("Max-Forwards", "0068")));
}

// §20.19: Expires = delta-seconds, huge values clamped (RFC 4475 §3.1.2.4 treats them as legal).
TEST(Validate, ExpiresAndMinExpiresSyntax) {
  EXPECT_OK(syntax(Msg::request().add("Expires", "10000000000000000000")));
  EXPECT_OK(syntax(Msg::request().add("Min-Expires", "60")));
  for (std::string_view bad : {"-1", "soon", "", "1.5", "Thu, 01 Dec 1994 16:00:00 GMT"}) {
    EXPECT_VERDICT(syntax(Msg::request().add("Expires", bad)), 400, "Malformed Expires");
    EXPECT_VERDICT(syntax(Msg::request().add("Min-Expires", bad)), 400, "Malformed Min-Expires");
  }
}

TEST(Validate, MalformedContentTypeIs400) {
  for (std::string_view ct : {"application", "application/", "/sdp", "application/sdp;", "application/sdp junk"}) {
    EXPECT_VERDICT(syntax(Msg::request().set("Content-Type", ct)), 400, "Malformed Content-Type");
  }
  EXPECT_OK(syntax(Msg::request().set("c", "application/sdp ; charset=utf-8")));
}

TEST(Validate, MalformedContactIs400) {
  for (std::string_view contact : {"<sip:a@b.c>;q=2", "<sip:a@b.c>;expires=x", "Bell, Alexander <sip:a@b.c>",
                                   "<sip:a@b.c>,", "sip:a@b.c?x=y", "<sip:a@b.c", "<sip:a@b.c>;;",
                                   "*, <sip:a@b.c>", "<sip:a@b.c>, *"}) {
    EXPECT_VERDICT(syntax(Msg::request().set("Contact", contact)), 400, "Malformed Contact");
  }
}

// §10.3 step 6 / §20.10: "*" stands alone, also across header lines.
TEST(Validate, StarContactMustBeAlone) {
  Msg m = Msg::register_request();
  m.set("Contact", "*").set("Expires", "0").add("Contact", "<sip:bob@192.0.2.4>");
  EXPECT_VERDICT(syntax(m), 400, "Malformed Contact");
  Msg two_stars = Msg::register_request();
  two_stars.set("Contact", "*").set("Expires", "0").add("m", "*");
  EXPECT_VERDICT(syntax(two_stars), 400, "Malformed Contact");
}

TEST(Validate, ContactListsAcrossLinesAreChecked) {
  Msg m = Msg::request();
  m.add("m", "<sip:x@y.z>;q=0.5, \"A, B\" <sip:w@v.u>;expires=60");
  EXPECT_OK(syntax(m));
  m.add("Contact", "<sip:x@y.z>;q=1.001");
  EXPECT_VERDICT(syntax(m), 400, "Malformed Contact");
}

// rec-route = name-addr (§25.1): Route, Record-Route and Path need angle brackets.
TEST(Validate, RouteRecordRouteAndPathNeedNameAddr) {
  for (std::string_view name : {"Route", "Record-Route", "Path"}) {
    EXPECT_OK(syntax(Msg::request().add(name, "<sip:p1.example.com;lr>, \"P2\" <sip:p2.example.com;lr>")));
    EXPECT_VERDICT(syntax(Msg::request().add(name, "sip:p1.example.com;lr")), 400, "Malformed " + std::string(name));
    EXPECT_VERDICT(syntax(Msg::request().add(name, "<sip:p1.example.com;lr>,")), 400,
                   "Malformed " + std::string(name));
    EXPECT_VERDICT(syntax(Msg::request().add(name, "<sip:p1.example.com;lr")), 400,
                   "Malformed " + std::string(name));
  }
}

// ============================================================================================
// validate_request, UAS
// ============================================================================================

// §8.2.1: a method the UAS does not know at all is 501 (RFC 4475 §3.1.1.2 intmeth, §3.1.1.5
// esc02, and §3.1.2.18 mismatch02, where 501 is preferred over the CSeq mismatch).
TEST(Validate, UasAnswersUnknownMethodsWith501) {
  EXPECT_VERDICT(request(Msg::request("NEWMETHOD")), 501, "Not Implemented");
  EXPECT_VERDICT(request(Msg::request("RE%47IST%45R")), 501, "Not Implemented");
  EXPECT_VERDICT(request(Msg::request("NEWMETHOD").set("CSeq", "1 INVITE")), 501, "Not Implemented");
  EXPECT_VERDICT(request(Msg::request("invite")), 501, "Not Implemented");
  // The syntax is fine.
  EXPECT_OK(syntax(Msg::request("NEWMETHOD")));
}

// RFC 4475 §3.1.2.17 (mismatch01): the CSeq method must match the request method (§8.1.1.5).
TEST(Validate, CSeqMethodMismatchIs400) {
  const Msg m = Msg::request("OPTIONS").set("CSeq", "8 INVITE");
  EXPECT_OK(syntax(m));
  EXPECT_VERDICT(request(m, policy_for(Role::kUas)), 400, "CSeq Method Mismatch");
  EXPECT_VERDICT(request(m, policy_for(Role::kRegistrar)), 400, "CSeq Method Mismatch");
  EXPECT_VERDICT(request(m, policy_for(Role::kProxy)), 400, "CSeq Method Mismatch");
  // Methods are case-sensitive (§7.1).
  EXPECT_VERDICT(request(Msg::request("INVITE").set("CSeq", "8 invite")), 400, "CSeq Method Mismatch");
}

// A proxy forwards methods it does not know (§16.6), so no 501 there.
TEST(Validate, ProxyForwardsUnknownMethods) {
  EXPECT_OK(request(Msg::request("NEWMETHOD"), policy_for(Role::kProxy)));
  // ... but a CSeq mismatch is still malformed.
  EXPECT_VERDICT(request(Msg::request("NEWMETHOD").set("CSeq", "1 INVITE"), policy_for(Role::kProxy)), 400,
                 "CSeq Method Mismatch");
}

// §8.2.2.3 (RFC 4475 §3.3.5 bext01): an unsupported Require option tag gets 420, naming it.
TEST(Validate, UasAnswersUnsupportedRequireWith420) {
  auto r = request(Msg::request().add("Require", "nothingSupportsThis, nothingSupportsThisEither"));
  EXPECT_VERDICT(r, 420, "Bad Extension");
  EXPECT_EQ(r->verdict.detail, "nothingSupportsThis");
}

TEST(Validate, Require420NamesTheFirstUnsupportedTagAcrossLines) {
  static constexpr std::array<std::string_view, 2> kSupported = {"timer", "100rel"};
  ValidationPolicy policy;
  policy.supported_extensions = kSupported;
  Msg m = Msg::request();
  m.add("Require", "timer").add("Require", "100REL, replaces, foo");
  auto r = request(m, policy);
  EXPECT_VERDICT(r, 420, "Bad Extension");
  EXPECT_EQ(r->verdict.detail, "replaces");
  // Option tags compare case-insensitively (§7.3.1: tokens are case-insensitive).
  EXPECT_OK(request(Msg::request().add("Require", "TIMER, 100Rel"), policy));
}

// §8.2.2.3: "... except for ACK and CANCEL" — no 420 for those.
TEST(Validate, RequireIsIgnoredOnAckAndCancel) {
  EXPECT_OK(request(Msg::request("ACK").add("Require", "foo")));
  EXPECT_OK(request(Msg::request("CANCEL").add("Require", "foo")));
}

// Require = "Require" HCOLON option-tag *(COMMA option-tag) (§20.32). A malformed list must
// not hide the option tags it demands: the request is either rejected as malformed (400) or
// refused with 420, never accepted.
TEST(Validate, MalformedRequireListIsNotAccepted) {
  EXPECT_FALSE(request(Msg::request().add("Require", ",foo"))->verdict.ok());
  static constexpr std::array<std::string_view, 1> kTimer = {"timer"};
  ValidationPolicy policy;
  policy.supported_extensions = kTimer;
  EXPECT_FALSE(request(Msg::request().add("Require", "timer,,foo"), policy)->verdict.ok());
  EXPECT_FALSE(request(Msg::request().add("Proxy-Require", ",foo"), policy_for(Role::kProxy))->verdict.ok());
}

// Require is for the UAS; a proxy checks Proxy-Require instead (§16.3 step 5).
TEST(Validate, UasIgnoresProxyRequireAndProxyIgnoresRequire) {
  EXPECT_OK(request(Msg::request().add("Proxy-Require", "foo")));
  EXPECT_OK(request(Msg::request().add("Require", "foo"), policy_for(Role::kProxy)));
}

// §16.3 step 5 (RFC 4475 §3.3.5 bext01).
TEST(Validate, ProxyAnswersUnsupportedProxyRequireWith420) {
  auto r = request(Msg::request().add("Proxy-Require", "noProxiesSupportThis, nor-this"), policy_for(Role::kProxy));
  EXPECT_VERDICT(r, 420, "Bad Extension");
  EXPECT_EQ(r->verdict.detail, "noProxiesSupportThis");
  static constexpr std::array<std::string_view, 1> kSupported = {"sec-agree"};
  ValidationPolicy policy = policy_for(Role::kProxy);
  policy.supported_extensions = kSupported;
  EXPECT_OK(request(Msg::request().add("Proxy-Require", "sec-agree"), policy));
}

// §8.2.3 (RFC 4475 §3.3.6 invut): a body of a type the UAS does not understand is 415.
TEST(Validate, UasAnswersUnknownBodyTypeWith415) {
  const Msg m = Msg::request().with_body("application/unknownformat", "<audio> <pcmu port=\"443\"/> </audio>");
  EXPECT_OK(syntax(m));
  EXPECT_VERDICT(request(m), 415, "Unsupported Media Type");
  EXPECT_VERDICT(request(m, policy_for(Role::kRegistrar)), 415, "Unsupported Media Type");
  // A proxy forwards it (§16: a proxy does not look at bodies).
  EXPECT_OK(request(m, policy_for(Role::kProxy)));
}

TEST(Validate, DefaultAcceptedTypesCoverCommonBodies) {
  for (std::string_view type : {"application/sdp", "Application/SDP", "multipart/mixed;boundary=x", "text/plain",
                                "message/sipfrag", "application/pidf+xml", "message/sip"}) {
    EXPECT_OK(request(Msg::request().with_body(type, "x")));
  }
}

TEST(Validate, PolicyChoosesAcceptedTypes) {
  static constexpr std::array<std::string_view, 1> kOnlyText = {"text/plain"};
  ValidationPolicy policy;
  policy.accepted_content_types = kOnlyText;
  EXPECT_OK(request(Msg::request().with_body("text/plain", "hi"), policy));
  EXPECT_VERDICT(request(Msg::request().with_body("application/sdp", "v=0"), policy), 415, "Unsupported Media Type");
  // An empty list accepts anything.
  ValidationPolicy any;
  any.accepted_content_types = {};
  EXPECT_OK(request(Msg::request().with_body("application/unknownformat", "x"), any));
}

// An empty body needs no Content-Type and is never 415.
TEST(Validate, EmptyBodyIsNeverUnsupported) {
  EXPECT_OK(request(Msg::request().set("Content-Type", "application/unknownformat")));
}

// §20.15: "The Content-Type header field MUST be present if the body is not empty."
TEST(Validate, BodyWithoutContentTypeIs400) {
  Msg m = Msg::request();
  m.body = "v=0\r\n";
  EXPECT_VERDICT(request(m), 400, "Missing Content-Type");
}

// §8.2.3: a content encoding the UAS does not understand is 415 too.
TEST(Validate, UnknownContentEncodingIs415) {
  EXPECT_VERDICT(request(Msg::request().with_body("application/sdp", "x").add("Content-Encoding", "gzip")), 415,
                 "Unsupported Media Type");
  EXPECT_VERDICT(request(Msg::request().with_body("application/sdp", "x").add("e", "tar")), 415,
                 "Unsupported Media Type");
  EXPECT_OK(request(Msg::request().with_body("application/sdp", "x").add("Content-Encoding", "identity")));
  EXPECT_OK(request(Msg::request().with_body("application/sdp", "x").add("Content-Encoding", "IDENTITY")));
}

TEST(Validate, AckAndCancelBodiesAreNotJudged) {
  EXPECT_OK(request(Msg::request("ACK").with_body("application/unknownformat", "x")));
  EXPECT_OK(request(Msg::request("CANCEL").with_body("application/unknownformat", "x")));
}

// §20.1 (RFC 4475 §3.3.15 sdp01): an INVITE whose Accept excludes the answer type is 406.
TEST(Validate, InviteWhoseAcceptExcludesTheAnswerIs406) {
  EXPECT_VERDICT(request(Msg::request().add("Accept", "text/nobodyknowsthis")), 406, "Not Acceptable");
  EXPECT_VERDICT(request(Msg::request().add("Accept", "text/*")), 406, "Not Acceptable");
  EXPECT_OK(request(Msg::request().add("Accept", "text/plain, application/sdp")));
  EXPECT_OK(request(Msg::request().add("Accept", "application/*")));
  EXPECT_OK(request(Msg::request().add("Accept", "*/*")));
  EXPECT_OK(request(Msg::request().add("Accept", "APPLICATION/SDP;level=1")));
  EXPECT_OK(request(Msg::request().add("Accept", "text/plain").add("Accept", "application/sdp")));
}

// §20.1: "An empty Accept header field means that no formats are acceptable."
TEST(Validate, EmptyAcceptOnInviteIs406) {
  EXPECT_VERDICT(request(Msg::request().add("Accept", "")), 406, "Not Acceptable");
}

TEST(Validate, AcceptOnlyMattersForInvite) {
  EXPECT_OK(request(Msg::request("OPTIONS").add("Accept", "text/nobodyknowsthis")));
  EXPECT_OK(request(Msg::request().add("Accept", "text/nobodyknowsthis"), policy_for(Role::kProxy)));
}

TEST(Validate, PolicyChoosesTheAnswerType) {
  ValidationPolicy policy;
  policy.answer_content_type = "text/plain";
  EXPECT_OK(request(Msg::request().add("Accept", "text/*"), policy));
  EXPECT_VERDICT(request(Msg::request().add("Accept", "application/sdp"), policy), 406, "Not Acceptable");
  ValidationPolicy none;
  none.answer_content_type = "";
  EXPECT_OK(request(Msg::request().add("Accept", "text/nobodyknowsthis"), none));
}

// RFC 2616 §14.1 (which §20.1 follows): a media range with q=0 is "not acceptable".
TEST(Validate, AcceptRangeWithQZeroIsNotAcceptable) {
  EXPECT_VERDICT(request(Msg::request().add("Accept", "application/sdp;q=0")), 406, "Not Acceptable");
  EXPECT_VERDICT(request(Msg::request().add("Accept", "application/sdp;q=0.000, text/plain")), 406, "Not Acceptable");
}

// A Content-Type of "*/*" names no type; it must not pass as every accepted type.
TEST(Validate, WildcardContentTypeIsNotAccepted) {
  EXPECT_VERDICT(request(Msg::request().with_body("*/*", "x")), 415, "Unsupported Media Type");
  EXPECT_VERDICT(request(Msg::request().with_body("text/*", "x")), 415, "Unsupported Media Type");
}

// §16.3 step 3 (RFC 4475 §3.3.11 zeromf): Max-Forwards 0 stops a proxy with 483; a UAS
// processes the request as usual.
TEST(Validate, MaxForwardsZeroIs483OnlyAtAProxy) {
  for (std::string_view zero : {"0", "00", "000"}) {
    const Msg m = Msg::request("OPTIONS").set("Max-Forwards", zero);
    EXPECT_VERDICT(request(m, policy_for(Role::kProxy)), 483, "Too Many Hops");
    EXPECT_OK(request(m, policy_for(Role::kUas)));
    EXPECT_OK(request(m, policy_for(Role::kRegistrar)));
  }
  EXPECT_OK(request(Msg::request().set("Max-Forwards", "1"), policy_for(Role::kProxy)));
}

// ============================================================================================
// validate_request, registrar (§10.3)
// ============================================================================================

// §10.3 step 5 and RFC 4475 §3.3.4 (unksm2): the address-of-record must be SIP or SIPS.
TEST(Validate, RegistrarRejectsNonSipAddressOfRecord) {
  for (std::string_view to : {"isbn:2983792873", "<http://www.example.com>", "<tel:+1-201-555-0123>",
                              "<mailto:bob@biloxi.com>"}) {
    const Msg m = Msg::register_request().set("To", to);
    EXPECT_OK(syntax(m));
    EXPECT_VERDICT(request(m, policy_for(Role::kRegistrar)), 400, "Invalid Address-of-Record");
    // Only a registrar cares.
    EXPECT_OK(request(m, policy_for(Role::kUas)));
    EXPECT_OK(request(m, policy_for(Role::kProxy)));
  }
  EXPECT_OK(request(Msg::register_request().set("To", "<sips:bob@biloxi.com>"), policy_for(Role::kRegistrar)));
  EXPECT_OK(request(Msg::register_request().set("To", "sip:bob@biloxi.com"), policy_for(Role::kRegistrar)));
}

// The registrar rules apply to REGISTER only.
TEST(Validate, RegistrarAppliesUasRulesToOtherMethods) {
  const ValidationPolicy registrar = policy_for(Role::kRegistrar);
  EXPECT_OK(request(Msg::request("OPTIONS").set("To", "<http://www.example.com>"), registrar));
  EXPECT_VERDICT(request(Msg::request("NEWMETHOD"), registrar), 501, "Not Implemented");
  auto r = request(Msg::register_request().add("Require", "gruu"), registrar);
  EXPECT_VERDICT(r, 420, "Bad Extension");
  EXPECT_EQ(r->verdict.detail, "gruu");
}

// §10.2.2 / §10.3 step 6: "*" needs an Expires header field of 0.
TEST(Validate, RegistrarWildcardContactNeedsExpiresZero) {
  const ValidationPolicy registrar = policy_for(Role::kRegistrar);
  EXPECT_OK(request(Msg::register_request().set("Contact", "*").set("Expires", "0"), registrar));
  EXPECT_OK(request(Msg::register_request().remove("Contact").set("m", "*").set("Expires", "000"), registrar));
  EXPECT_VERDICT(request(Msg::register_request().set("Contact", "*").set("Expires", "1"), registrar), 400,
                 "Wildcard Contact Needs Expires 0");
  EXPECT_VERDICT(request(Msg::register_request().set("Contact", "*").remove("Expires"), registrar), 400,
                 "Wildcard Contact Needs Expires 0");
  EXPECT_VERDICT(request(Msg::register_request().set("Contact", " * ").set("Expires", "4294967296"), registrar),
                 400, "Wildcard Contact Needs Expires 0");
}

// "*" with another contact is caught by the syntax check, whatever the Expires.
TEST(Validate, RegistrarWildcardContactMustBeAlone) {
  Msg m = Msg::register_request();
  m.set("Contact", "*, <sip:bob@192.0.2.4>").set("Expires", "0");
  EXPECT_VERDICT(request(m, policy_for(Role::kRegistrar)), 400, "Malformed Contact");
}

TEST(Validate, RegistrarAcceptsContactParametersAndFetches) {
  const ValidationPolicy registrar = policy_for(Role::kRegistrar);
  // RFC 4475 §3.3.12 (cparam01), §3.3.13 (cparam02), §3.3.14 (regescrt).
  EXPECT_OK(request(Msg::register_request().set("Contact", "sip:+19725552222@gw1.example.net;unknownparam"),
                    registrar));
  EXPECT_OK(request(Msg::register_request().set("Contact", "<sip:+19725552222@gw1.example.net;unknownparam>"),
                    registrar));
  EXPECT_OK(request(
      Msg::register_request().remove("Contact").set("M", "<sip:user@example.com?Route=%3Csip:sip.example.com%3E>"),
      registrar));
  // A fetch has no Contact at all (§10.2.3).
  EXPECT_OK(request(Msg::register_request().remove("Contact").remove("Expires"), registrar));
}

// ============================================================================================
// validate_response
// ============================================================================================

TEST(Validate, WellFormedResponsesPass) {
  EXPECT_OK(response(Msg::response()));
  EXPECT_OK(response(Msg::response("SIP/2.0 100 Trying")));
  EXPECT_OK(response(Msg::response("SIP/2.0 699 Custom")));
  EXPECT_OK(response(Msg::response("sip/2.0 200 OK")));
  // RFC 4475 §3.1.1.12 (unreason) and §3.1.1.13 (noreason).
  EXPECT_OK(response(Msg::response("SIP/2.0 200 = 2**3 * 5**2 \xD0\xBD\xD0\xBE")));
  EXPECT_OK(response(Msg::response("SIP/2.0 100 ")));
}

TEST(Validate, ResponseValidationRejectsARequest) {
  EXPECT_VERDICT(response(Msg::request()), 400, "Not A Response");
}

// A response in another version cannot be answered; it is dropped with status 400.
TEST(Validate, ResponseInAnotherVersionIsDropped) {
  EXPECT_VERDICT(response(Msg::response("SIP/3.0 200 OK")), 400, "Version Not Supported");
}

// RFC 4475 §3.1.2.5 (scalarlg): overlarge CSeq in a response.
TEST(Validate, ResponseHeaderSyntaxIsChecked) {
  EXPECT_VERDICT(response(Msg::response().set("CSeq", "36893488147419103232 INVITE")), 400, "Malformed CSeq");
  EXPECT_VERDICT(response(Msg::response().set("Via", "SIP/2.0/UDP")), 400, "Malformed Via");
  EXPECT_VERDICT(response(Msg::response().add("Call-ID", "x")), 400, "Multiple Call-ID Headers");
  EXPECT_VERDICT(response(Msg::response().set("Contact", "*, <sip:a@b.c>")), 400, "Malformed Contact");
  EXPECT_VERDICT(response(Msg::response().add("Record-Route", "sip:p1.example.com;lr")), 400,
                 "Malformed Record-Route");
}

// Role checks do not apply to responses: a CSeq method, Require or body type is not judged.
TEST(Validate, ResponsesAreNotHeldToRequestRules) {
  Msg m = Msg::response();
  m.set("CSeq", "1 NEWMETHOD").add("Require", "foo").with_body("application/unknownformat", "x");
  EXPECT_OK(response(m));
}

}  // namespace
}  // namespace trapezoid::sip
