#include "model/token_table.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <new>

namespace gh::model {

namespace {
constexpr std::size_t kChunk = 1024;  // entries per chunk when growing one token at a time
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}  // namespace

// A loaded org's chunk (1M tokens: 176 MB) is backed by transparent huge pages where the kernel
// allows them for madvise()d memory: a 4 KiB page fault per 23 entries was the largest single
// cost of filling it (issue #5).
TokenTable::Chunk TokenTable::make_chunk(std::size_t n) {
  auto bytes = n * sizeof(TokenEntry);
  void* p = nullptr;
  if (bytes >= kHugePage) {
    bytes = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    p = std::aligned_alloc(kHugePage, bytes);
#ifdef MADV_HUGEPAGE
    if (p) ::madvise(p, bytes, MADV_HUGEPAGE);  // advice only: failure leaves 4 KiB pages
#endif
  } else {
    p = std::malloc(bytes);
  }
  if (!p) throw std::bad_alloc();
  auto* entries = static_cast<TokenEntry*>(p);
  std::uninitialized_default_construct_n(entries, n);
  return Chunk(entries, ChunkFree{n});
}

void TokenTable::ChunkFree::operator()(TokenEntry* p) const {
  std::destroy_n(p, n);
  std::free(p);
}

domain::ApiToken TokenEntry::token() const {
  domain::ApiToken t;
  t.id = id_.str(), t.user_id = user_id_.str(), t.name = name_.str(), t.hint = hint_.str();
  t.mac = mac_;
  t.created = created_, t.last_updated = last_updated_;
  t.last_used = last_used.load(std::memory_order_relaxed);
  return t;
}

void TokenEntry::assign(const domain::ApiToken& t) {
  id_.assign(t.id), user_id_.assign(t.user_id), name_.assign(t.name), hint_.assign(t.hint);
  mac_ = t.mac;
  created_ = t.created, last_updated_ = t.last_updated;
}

TokenTable::TokenTable(TokenTable&&) noexcept = default;

TokenTable::~TokenTable() { tree_.clear(); }  // unlink before the chunks holding the hooks go

void TokenTable::reserve(std::size_t n) {
  by_mac_.reserve(size() + n);
  auto room = chunk_size_ - chunk_used_ + free_.size();
  if (n <= room) return;
  chunks_.push_back(make_chunk(n - room));
  chunk_used_ = 0, chunk_size_ = n - room;
}

TokenEntry* TokenTable::allocate() {
  if (!free_.empty()) {
    auto* e = free_.back();
    free_.pop_back();
    return e;
  }
  if (chunk_used_ == chunk_size_) {
    chunks_.push_back(make_chunk(kChunk));
    chunk_used_ = 0, chunk_size_ = kChunk;
  }
  return &chunks_.back()[chunk_used_++];
}

const TokenEntry& TokenTable::put(const domain::ApiToken& t) {
  Tree::insert_commit_data commit;
  auto [it, fresh] = tree_.insert_check(tree_.end(), std::string_view(t.id), commit);
  if (!fresh) {  // an update: the entry keeps its place in the tree
    auto& e = *it;
    by_mac_.erase(e.mac());
    e.assign(t);
    e.last_used.store(std::max(e.last_used.load(), t.last_used));
    by_mac_.insert(&e);
    return e;
  }
  auto* e = allocate();
  e->assign(t);
  e->last_used.store(t.last_used);
  tree_.insert_commit(*e, commit);
  by_mac_.insert(e);
  return *e;
}

void TokenTable::erase(std::string_view id) {
  auto it = tree_.find(id);
  if (it == tree_.end()) return;
  auto& e = *it;
  by_mac_.erase(e.mac());
  tree_.erase(it);
  e.assign({});  // frees a long name now rather than when the slot is reused
  free_.push_back(&e);
}

const TokenEntry* TokenTable::find(std::string_view id) const {
  auto it = tree_.find(id);
  return it == tree_.end() ? nullptr : &*it;
}

}  // namespace gh::model
