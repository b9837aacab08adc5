#include "domain/lifecycle.hpp"

#include <gtest/gtest.h>

namespace gh::domain {
namespace {
using S = UserStatus;
using Op = LifecycleOp;

TEST(Lifecycle, FollowsOktaTransitionRules) {
  struct Case {
    S from;
    Op op;
    bool password;
    std::optional<S> want;
  };
  const Case cases[] = {
      {S::STAGED, Op::activate, true, S::ACTIVE},
      {S::STAGED, Op::activate, false, S::PROVISIONED},
      {S::DEPROVISIONED, Op::activate, true, S::ACTIVE},
      {S::ACTIVE, Op::activate, true, std::nullopt},
      {S::PROVISIONED, Op::reactivate, false, S::PROVISIONED},
      {S::ACTIVE, Op::reactivate, true, std::nullopt},
      {S::ACTIVE, Op::suspend, true, S::SUSPENDED},
      {S::STAGED, Op::suspend, true, std::nullopt},
      {S::SUSPENDED, Op::suspend, true, std::nullopt},
      {S::SUSPENDED, Op::unsuspend, true, S::ACTIVE},
      {S::ACTIVE, Op::unsuspend, true, std::nullopt},
      {S::ACTIVE, Op::deactivate, true, S::DEPROVISIONED},
      {S::SUSPENDED, Op::deactivate, true, S::DEPROVISIONED},
      {S::STAGED, Op::deactivate, true, S::DEPROVISIONED},
      {S::DEPROVISIONED, Op::deactivate, true, std::nullopt},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(std::string(to_string(c.from)) + " op " + std::to_string(int(c.op)));
    EXPECT_EQ(transition(c.from, c.op, c.password), c.want);
  }
}

}  // namespace
}  // namespace gh::domain
