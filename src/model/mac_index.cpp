#include "model/mac_index.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "model/token_table.hpp"

namespace gh::model {

namespace {
const crypto::Mac& mac_of(const TokenEntry* e) { return e->mac(); }
}  // namespace

std::uint64_t MacIndex::prefix_of(const crypto::Mac& mac) {
  std::uint64_t h;
  std::memcpy(&h, mac.data(), sizeof h);
  return h;
}

std::size_t MacIndex::slot_of(const crypto::Mac& mac) const {
  auto mask = slots_.size() - 1;
  auto p = prefix_of(mac);
  auto i = p & mask;
  while (slots_[i].entry && (slots_[i].prefix != p || mac_of(slots_[i].entry) != mac)) i = (i + 1) & mask;
  return i;
}

void MacIndex::reserve(std::size_t n) {
  auto want = std::bit_ceil(std::max<std::size_t>(16, 2 * n));
  if (want > slots_.size()) rehash(want);
}

const TokenEntry* MacIndex::find(const crypto::Mac& mac) const {
  if (slots_.empty()) return nullptr;
  return slots_[slot_of(mac)].entry;
}

void MacIndex::insert(TokenEntry* e) {
  if (2 * (size_ + 1) > slots_.size()) rehash(std::max<std::size_t>(16, 2 * slots_.size()));
  auto& mac = mac_of(e);
  auto i = slot_of(mac);
  if (!slots_[i].entry) ++size_;
  slots_[i] = {prefix_of(mac), e};
}

void MacIndex::erase(const crypto::Mac& mac) {
  if (slots_.empty()) return;
  auto mask = slots_.size() - 1;
  auto i = slot_of(mac);
  if (!slots_[i].entry) return;
  slots_[i] = {};
  --size_;
  // Backward-shift deletion: move later entries of the probe run into the hole when their home
  // slot does not lie cyclically in (hole, j], so every probe still ends at the first empty slot.
  for (auto j = (i + 1) & mask; slots_[j].entry; j = (j + 1) & mask) {
    auto k = slots_[j].prefix & mask;
    bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (stays) continue;
    slots_[i] = slots_[j];
    slots_[j] = {};
    i = j;
  }
}

void MacIndex::rehash(std::size_t slots) {
  std::vector<Slot> old(slots);
  old.swap(slots_);
  size_ = 0;
  for (auto& s : old)
    if (s.entry) slots_[slot_of(mac_of(s.entry))] = s, ++size_;
}

}  // namespace gh::model
