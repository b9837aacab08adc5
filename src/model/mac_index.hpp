#pragma once
// The API tokens of an org by MAC (authn's SSWS lookup): an open-addressing table (linear probing,
// at most half full) of the model's entries with their MAC's first 8 bytes, 16 bytes a slot and no
// node per token. The MAC is an HMAC output, uniformly random, so those 8 bytes are the hash; a
// probe reads an entry (a cache miss) only when they match.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "crypto/mac.hpp"

namespace gh::model {

class TokenEntry;

class MacIndex {
 public:
  void reserve(std::size_t n);
  const TokenEntry* find(const crypto::Mac& mac) const;
  void insert(TokenEntry* e);  // replaces the entry with the same MAC, if any
  void erase(const crypto::Mac& mac);
  std::size_t size() const { return size_; }

 private:
  static std::uint64_t prefix_of(const crypto::Mac& mac);
  std::size_t slot_of(const crypto::Mac& mac) const;  // its slot, or the empty slot ending its probe
  void rehash(std::size_t slots);

  struct Slot {
    std::uint64_t prefix = 0;
    TokenEntry* entry = nullptr;  // nullptr = empty
  };
  std::vector<Slot> slots_;  // a power of two in size
  std::size_t size_ = 0;
};

}  // namespace gh::model
