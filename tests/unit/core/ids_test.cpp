// The strong id types (core/ids.hpp): one kind of id cannot be passed as another, nor a bare
// string as an id, nor an id as a bare string, without saying so.
#include "core/ids.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>

namespace gh::core {
namespace {

template <class From, class To>
constexpr bool kImplicit = std::is_convertible_v<From, To>;

// Not into each other.
static_assert(!kImplicit<OrgId, ClientId> && !kImplicit<OrgId, UserId>);
static_assert(!kImplicit<ClientId, OrgId> && !kImplicit<ClientId, UserId>);
static_assert(!kImplicit<UserId, OrgId> && !kImplicit<UserId, ClientId>);
static_assert(!std::is_constructible_v<OrgId, ClientId> && !std::is_constructible_v<UserId, OrgId>);
static_assert(!std::is_constructible_v<ClientId, UserId>);
// Not from strings implicitly, but explicitly.
static_assert(!kImplicit<std::string, OrgId> && !kImplicit<std::string_view, OrgId> && !kImplicit<const char*, OrgId>);
static_assert(!kImplicit<std::string, ClientId> && !kImplicit<std::string_view, ClientId>);
static_assert(!kImplicit<std::string, UserId> && !kImplicit<std::string_view, UserId>);
static_assert(std::is_constructible_v<OrgId, std::string> && std::is_constructible_v<ClientId, std::string_view>);
// Not back into strings implicitly.
static_assert(!kImplicit<OrgId, std::string> && !kImplicit<ClientId, std::string_view>);
static_assert(!kImplicit<UserId, std::string>);
// Not comparable across kinds.
template <class A, class B>
concept EqualityComparable = requires(const A& a, const B& b) { a == b; };
static_assert(EqualityComparable<OrgId, OrgId> && !EqualityComparable<OrgId, ClientId>);
static_assert(!EqualityComparable<UserId, ClientId> && !EqualityComparable<UserId, std::string>);

TEST(StrongIds, CompareHashAndFormatAsTheirString) {
  const OrgId a{"00oa"}, b{std::string("00ob")}, a2{std::string_view("00oa")};
  EXPECT_EQ(a, a2);
  EXPECT_NE(a, b);
  EXPECT_LT(a, b);
  EXPECT_EQ(a.str(), "00oa");
  EXPECT_EQ(std::set<OrgId>({b, a}).begin()->str(), "00oa");
  EXPECT_EQ(std::hash<OrgId>{}(a), std::hash<std::string_view>{}("00oa"));
  EXPECT_EQ(std::unordered_set<UserId>({UserId{"00u1"}, UserId{"00u1"}}).size(), 1u);
  EXPECT_EQ(fmt::format("org={} client={}", a, ClientId{"0oa1"}), "org=00oa client=0oa1");
}

}  // namespace
}  // namespace gh::core
