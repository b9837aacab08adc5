#pragma once
// The API tokens of an org (issue #5: 1M of them load in well under a second): compact entries
// of fixed size (ids and short names inline, no allocation per token) kept in chunks whose
// addresses never move, linked into an intrusive red-black tree ordered by id (the API lists and
// pages tokens in id order) and indexed by MAC (MacIndex: the SSWS lookup). Erased entries are
// reused. Not thread-safe: the owning OrgModel's mutex guards it.
#include <boost/intrusive/set.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "core/small_string.hpp"
#include "domain/types.hpp"
#include "model/mac_index.hpp"

namespace gh::model {

class TokenEntry : public boost::intrusive::set_base_hook<boost::intrusive::optimize_size<true>> {
 public:
  std::string_view id() const { return id_; }
  std::string_view user_id() const { return user_id_; }
  std::string_view name() const { return name_; }
  std::string_view hint() const { return hint_; }
  const crypto::Mac& mac() const { return mac_; }
  domain::Millis created() const { return created_; }
  domain::Millis last_updated() const { return last_updated_; }
  // The token as the domain type (a copy; its last_used is the live one below).
  domain::ApiToken token() const;
  // Every field but last_used and revoked (an entry is never revoked: revoking erases it).
  void assign(const domain::ApiToken& t);

  mutable std::atomic<domain::Millis> last_used{0};  // updated on use without the write lock

 private:
  core::SmallString id_, user_id_, name_, hint_;
  crypto::Mac mac_{};
  domain::Millis created_ = 0, last_updated_ = 0;
};

class TokenTable {
  struct IdOf {
    using type = std::string_view;
    type operator()(const TokenEntry& e) const { return e.id(); }
  };
  using Tree = boost::intrusive::set<TokenEntry, boost::intrusive::key_of_value<IdOf>,
                                     boost::intrusive::constant_time_size<true>>;

 public:
  // Iterates in id order as (first = id, second = entry), like the std::map it replaced.
  class const_iterator {
   public:
    struct value_type {
      std::string_view first;
      const TokenEntry& second;
    };
    struct Arrow {
      value_type v;
      const value_type* operator->() const { return &v; }
    };
    const_iterator() = default;
    explicit const_iterator(Tree::const_iterator it) : it_(it) {}
    value_type operator*() const { return {it_->id(), *it_}; }
    Arrow operator->() const { return {**this}; }
    const_iterator& operator++() { return ++it_, *this; }
    bool operator==(const const_iterator& o) const { return it_ == o.it_; }

   private:
    Tree::const_iterator it_;
  };

  TokenTable() = default;
  TokenTable(TokenTable&&) noexcept;
  TokenTable& operator=(TokenTable&&) = delete;
  ~TokenTable();

  // Room for n more tokens in one chunk (and the MAC index): for loading a counted set.
  void reserve(std::size_t n);
  // Inserts or updates the token with t.id (an update keeps the later last_used). Appending in
  // id order (as the store loads them) costs O(1) each.
  const TokenEntry& put(const domain::ApiToken& t);
  void erase(std::string_view id);

  const TokenEntry* find(std::string_view id) const;
  const TokenEntry* find_by_mac(const crypto::Mac& mac) const { return by_mac_.find(mac); }
  std::size_t size() const { return tree_.size(); }
  bool empty() const { return tree_.empty(); }
  const_iterator begin() const { return const_iterator(tree_.begin()); }
  const_iterator end() const { return const_iterator(tree_.end()); }
  const_iterator upper_bound(std::string_view id) const { return const_iterator(tree_.upper_bound(id)); }

 private:
  TokenEntry* allocate();
  struct ChunkFree {
    std::size_t n;
    void operator()(TokenEntry* p) const;
  };
  using Chunk = std::unique_ptr<TokenEntry[], ChunkFree>;
  static Chunk make_chunk(std::size_t n);

  Tree tree_;
  MacIndex by_mac_;
  std::vector<Chunk> chunks_;
  std::size_t chunk_used_ = 0, chunk_size_ = 0;  // of chunks_.back()
  std::vector<TokenEntry*> free_;
};

}  // namespace gh::model
