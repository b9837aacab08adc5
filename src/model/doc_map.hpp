#pragma once
// The documents of one kind in an org (domain/documents.hpp), by id and by parent. Documents
// loaded at start-up keep their stored JSON text and parse it on first read: with 100k apps an
// org's bodies as boost::json objects take 3-4x their text and most are never read before the
// process ends (issue #5). Documents put by a change are kept parsed.
// Thread-safety: the owning OrgModel's mutex guards it; the const members (which may parse a
// body) are safe to call concurrently under its shared lock.
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/small_string.hpp"
#include "domain/client_record.hpp"
#include "domain/documents.hpp"

namespace gh::model {

struct ViewLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a < b; }
};

// A document as read, with the typed record of its kind where the hot path has one: an app's
// ClientRecord, or the ClientChildRecord of its secrets, keys and scope grants, parsed together
// with the body (issue 22 "Parse once, into types").
struct ParsedDoc {
  explicit ParsedDoc(domain::Document d);
  domain::Document doc;
  std::unique_ptr<const domain::ClientRecord> client;      // kind app only, else null
  std::unique_ptr<const domain::ClientChildRecord> child;  // client_secret, app_key, scope_grant
};

class DocEntry {
 public:
  DocEntry(core::SmallString parent, std::string text) : parent_(std::move(parent)), text_(std::move(text)) {}
  explicit DocEntry(domain::Document d) : parent_(d.parent), parsed_(new ParsedDoc(std::move(d))) {}
  DocEntry(const DocEntry&) = delete;
  ~DocEntry() { delete parsed_.load(std::memory_order_relaxed); }

  std::string_view parent() const { return parent_; }
  // The document (kind and id as the map holds them), parsed on first call.
  const domain::Document& get(std::string_view kind, std::string_view id) const { return parsed(kind, id).doc; }
  const ParsedDoc& parsed(std::string_view kind, std::string_view id) const;
  void replace(domain::Document d);  // requires the exclusive lock

 private:
  core::SmallString parent_;
  std::string text_;  // the stored body until parsed ("" once a change put it)
  mutable std::atomic<ParsedDoc*> parsed_{nullptr};
};

class DocMap {
  using ById = std::map<core::SmallString, DocEntry, ViewLess>;

 public:
  // Iterates in id order as (first = id, second = document), like a std::map of documents.
  class const_iterator {
   public:
    struct value_type {
      std::string_view first;
      const domain::Document& second;
    };
    struct Arrow {
      value_type v;
      const value_type* operator->() const { return &v; }
    };
    const_iterator(ById::const_iterator it, std::string_view kind) : it_(it), kind_(kind) {}
    value_type operator*() const { return {it_->first.view(), it_->second.get(kind_, it_->first)}; }
    Arrow operator->() const { return {**this}; }
    const_iterator& operator++() { return ++it_, *this; }
    bool operator==(const const_iterator& o) const { return it_ == o.it_; }

   private:
    ById::const_iterator it_;
    std::string_view kind_;
  };

  explicit DocMap(std::string kind) : kind_(std::move(kind)) {}
  DocMap(const DocMap&) = delete;

  void put(domain::Document d);
  void put_stored(core::SmallString id, core::SmallString parent, std::string body);  // parsed when read
  void erase(std::string_view id);
  void erase_children(std::string_view parent);

  const domain::Document* find(std::string_view id) const;
  const ParsedDoc* find_parsed(std::string_view id) const;  // the same, with its typed record
  std::vector<const domain::Document*> children(std::string_view parent) const;  // by id
  std::vector<const ParsedDoc*> children_parsed(std::string_view parent) const;  // the same

  std::size_t size() const { return by_id_.size(); }
  bool empty() const { return by_id_.empty(); }
  const_iterator begin() const { return {by_id_.begin(), kind_}; }
  const_iterator end() const { return {by_id_.end(), kind_}; }
  const_iterator upper_bound(std::string_view id) const { return {by_id_.upper_bound(id), kind_}; }

 private:
  void link(std::string_view parent, std::string_view id);

  std::string kind_;
  ById by_id_;
  std::map<core::SmallString, std::set<core::SmallString, ViewLess>, ViewLess> by_parent_;
};

}  // namespace gh::model
