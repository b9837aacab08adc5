#pragma once
// A string of 24 bytes that keeps up to 23 characters inline and only longer ones on the heap
// (std::string keeps 15 inline in 32 bytes). Okta-style ids (20 characters, core/ids.hpp) then
// need no allocation: with 1M API tokens in the read model that is 2M allocations fewer at
// start-up (issue #5). Immutable apart from assignment; not thread-safe to assign concurrently.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

namespace gh::core {

class SmallString {
 public:
  static constexpr std::size_t kInline = 23;

  SmallString() noexcept { bytes_[kInline] = 0; bytes_[0] = 0; }
  explicit SmallString(std::string_view s) : SmallString() { assign(s); }
  SmallString(const SmallString& o) : SmallString() { assign(o.view()); }
  SmallString(SmallString&& o) noexcept {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    o.bytes_[kInline] = 0, o.bytes_[0] = 0;
  }
  SmallString& operator=(const SmallString& o) {
    if (this != &o) assign(o.view());
    return *this;
  }
  SmallString& operator=(SmallString&& o) noexcept {
    if (this != &o) {
      release();
      std::memcpy(bytes_, o.bytes_, sizeof bytes_);
      o.bytes_[kInline] = 0, o.bytes_[0] = 0;
    }
    return *this;
  }
  ~SmallString() { release(); }

  // Reuses the inline buffer when `s` fits; `s` must not point into this string.
  void assign(std::string_view s) {
    if (s.size() <= kInline) {
      release();
      std::memcpy(bytes_, s.data(), s.size());
      bytes_[kInline] = static_cast<char>(s.size());
      return;
    }
    auto* p = static_cast<char*>(std::malloc(s.size()));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    release();
    std::uint64_t n = s.size();
    std::memcpy(bytes_, &p, sizeof p);
    std::memcpy(bytes_ + sizeof p, &n, sizeof n);
    bytes_[kInline] = kHeap;
  }

  std::string_view view() const noexcept {
    if (!is_heap()) return {bytes_, static_cast<std::size_t>(static_cast<unsigned char>(bytes_[kInline]))};
    char* p;
    std::uint64_t n;
    std::memcpy(&p, bytes_, sizeof p);
    std::memcpy(&n, bytes_ + sizeof p, sizeof n);
    return {p, static_cast<std::size_t>(n)};
  }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: a string's view
  std::string str() const { return std::string(view()); }
  std::size_t size() const noexcept { return view().size(); }
  bool empty() const noexcept { return size() == 0; }
  bool is_heap() const noexcept { return bytes_[kInline] == kHeap; }

  friend bool operator==(const SmallString& a, const SmallString& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const SmallString& a, std::string_view b) noexcept { return a.view() == b; }

 private:
  static constexpr char kHeap = static_cast<char>(0xff);  // inline sizes are 0..23
  void release() noexcept {
    if (!is_heap()) return;
    char* p;
    std::memcpy(&p, bytes_, sizeof p);
    std::free(p);
    bytes_[kInline] = 0;
  }
  char bytes_[kInline + 1];
};
static_assert(sizeof(SmallString) == 24);

}  // namespace gh::core
