// GCC 12 and a ?: inside a co_await expression (issue 20, es256-after-s11.md): both operands' temporaries
// are destroyed, one never constructed. g++ -std=c++20 -O2 gcc_cond_coawait.cpp && ./a.out prints
// made=8 destroyed=12 live=-4 with g++ 12.2 (exit 1); clang++ 14: made=4 destroyed=4 live=0.
#include <coroutine>
#include <cstdio>
static int live = 0, made = 0, destroyed = 0;
struct Tmp {
  int v;
  explicit Tmp(int x) : v(x) { ++live; ++made; }
  Tmp(const Tmp& o) : v(o.v) { ++live; ++made; }
  Tmp(Tmp&& o) noexcept : v(o.v) { ++live; ++made; }
  ~Tmp() { --live; ++destroyed; }
};
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct Aw {
  int v;
  bool await_ready() { return true; }
  void await_suspend(std::coroutine_handle<>) {}
  int await_resume() { return v; }
};
Aw op(const Tmp& t) { return Aw{t.v}; }
Task run(bool one, int* out) {
  *out = co_await op(one ? Tmp(1) : Tmp(2));
}
int main() {
  int r = 0;
  for (int i = 0; i < 4; ++i) run(i % 2, &r);
  std::printf("made=%d destroyed=%d live=%d\n", made, destroyed, live);
  return live != 0;
}
