#include "sip/method.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

namespace trapezoid::sip {
namespace {

// RFC 3261 §7.1 (INVITE ACK OPTIONS BYE CANCEL REGISTER), RFC 2976 INFO, RFC 3262 PRACK,
// RFC 3265 SUBSCRIBE/NOTIFY, RFC 3311 UPDATE, RFC 3428 MESSAGE, RFC 3515 REFER,
// RFC 3903 PUBLISH.
constexpr std::pair<std::string_view, Method> kKnown[] = {
    {"INVITE", Method::kInvite},       {"ACK", Method::kAck},
    {"BYE", Method::kBye},             {"CANCEL", Method::kCancel},
    {"REGISTER", Method::kRegister},   {"OPTIONS", Method::kOptions},
    {"INFO", Method::kInfo},           {"PRACK", Method::kPrack},
    {"SUBSCRIBE", Method::kSubscribe}, {"NOTIFY", Method::kNotify},
    {"UPDATE", Method::kUpdate},       {"MESSAGE", Method::kMessage},
    {"REFER", Method::kRefer},         {"PUBLISH", Method::kPublish},
};

TEST(Method, LooksUpEveryKnownMethod) {
  for (const auto& [name, method] : kKnown) {
    EXPECT_EQ(lookup_method(name), method) << name;
    EXPECT_EQ(method_name(method), name);
  }
}

TEST(Method, LookupDoesNotDependOnTheInputBuffer) {
  // A name that is a view into a larger buffer, not a literal.
  const std::string line = "REGISTER sip:example.com SIP/2.0";
  EXPECT_EQ(lookup_method(std::string_view(line).substr(0, 8)), Method::kRegister);
  EXPECT_EQ(lookup_method(std::string_view(line).substr(0, 7)), Method::kUnknown);
}

// RFC 3261 §7.1: "The method is case-sensitive."
TEST(Method, IsCaseSensitive) {
  EXPECT_EQ(lookup_method("invite"), Method::kUnknown);
  EXPECT_EQ(lookup_method("Invite"), Method::kUnknown);
  EXPECT_EQ(lookup_method("INVITe"), Method::kUnknown);
  EXPECT_EQ(lookup_method("ack"), Method::kUnknown);
  EXPECT_EQ(lookup_method("Register"), Method::kUnknown);
}

TEST(Method, PrefixesExtensionsAndNearMissesAreUnknown) {
  for (std::string_view name :
       {"", "A", "AC", "ACKS", "INVITEX", "INVIT", "REGISTE", "NEWMETHOD", "RE%47IST%45R", "BYE ",
        " BYE", "SUBSCRIBES", "PUBLIS", "MESSAGES"}) {
    EXPECT_EQ(lookup_method(name), Method::kUnknown) << '"' << name << '"';
  }
  EXPECT_EQ(lookup_method(std::string_view("ACK\0", 4)), Method::kUnknown);
}

// Same first letter and length must not be enough: the whole name is compared.
TEST(Method, SameFirstLetterAndLengthIsNotAMatch) {
  EXPECT_EQ(lookup_method("INVITF"), Method::kUnknown);
  EXPECT_EQ(lookup_method("BYF"), Method::kUnknown);
  EXPECT_EQ(lookup_method("PRACX"), Method::kUnknown);
  EXPECT_EQ(lookup_method("NOTIFZ"), Method::kUnknown);
  EXPECT_EQ(lookup_method("REFEX"), Method::kUnknown);
}

TEST(Method, UnknownHasAnEmptyName) { EXPECT_EQ(method_name(Method::kUnknown), ""); }

}  // namespace
}  // namespace trapezoid::sip
