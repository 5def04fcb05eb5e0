#pragma once
/// \file ordered_dict.h
/// tg::OrderedDict<Key, Value>: an insertion-ordered map, as libtorch's torch::OrderedDict. It is
/// what Module::named_parameters(), named_buffers(), named_children() and named_modules() return:
///
///     for (const auto& item : net->named_parameters()) std::cout << item.key() << "\n";
///     net->named_parameters()["fc1.weight"];   // by key
///     net->named_children()[0].value();        // by position
///
/// Items keep their insertion order; lookups by key go through an index. The key description
/// ("Key" by default; modules use "Parameter", "Buffer", "Submodule") names the keys in errors,
/// as libtorch's: "Parameter 'weight' already defined", "Submodule 'fc' is not defined".

#include <cstddef>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tensorgrad/error.h"

namespace tg {

template <typename Key, typename Value> class OrderedDict {
 public:
  /// One entry: key() and value(); `*item` and `item->` reach the value.
  class Item {
   public:
    Item(Key key, Value value) : pair_(std::move(key), std::move(value)) {}
    const Key& key() const noexcept { return pair_.first; }
    Value& value() noexcept { return pair_.second; }
    const Value& value() const noexcept { return pair_.second; }
    Value& operator*() { return value(); }
    const Value& operator*() const { return value(); }
    Value* operator->() { return &value(); }
    const Value* operator->() const { return &value(); }
    const std::pair<Key, Value>& pair() const noexcept { return pair_; }

   private:
    std::pair<Key, Value> pair_;
  };
  using Iterator = typename std::vector<Item>::iterator;
  using ConstIterator = typename std::vector<Item>::const_iterator;

  explicit OrderedDict(std::string key_description = "Key") : key_description_(std::move(key_description)) {}
  OrderedDict(std::initializer_list<Item> items) : OrderedDict("Key") {
    for (const auto& item : items) insert(item.key(), item.value());
  }

  const std::string& key_description() const noexcept { return key_description_; }

  Item& front() {
    TG_CHECK(!items_.empty(), "Called front() on an empty OrderedDict");
    return items_.front();
  }
  const Item& front() const {
    TG_CHECK(!items_.empty(), "Called front() on an empty OrderedDict");
    return items_.front();
  }
  Item& back() {
    TG_CHECK(!items_.empty(), "Called back() on an empty OrderedDict");
    return items_.back();
  }
  const Item& back() const {
    TG_CHECK(!items_.empty(), "Called back() on an empty OrderedDict");
    return items_.back();
  }

  /// The item at a position.
  Item& operator[](size_t index) {
    TG_CHECK(index < items_.size(), "Index {} is out of bounds", index);
    return items_[index];
  }
  const Item& operator[](size_t index) const {
    TG_CHECK(index < items_.size(), "Index {} is out of bounds", index);
    return items_[index];
  }
  /// The value under a key (an error when there is none).
  Value& operator[](const Key& key) {
    if (Value* value = find(key)) return *value;
    TG_ERROR("{} '{}' is not defined", key_description_, key);
  }
  const Value& operator[](const Key& key) const {
    if (const Value* value = find(key)) return *value;
    TG_ERROR("{} '{}' is not defined", key_description_, key);
  }

  /// The value under a key, or nullptr.
  Value* find(const Key& key) noexcept {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  const Value* find(const Key& key) const noexcept {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  bool contains(const Key& key) const noexcept { return find(key) != nullptr; }

  Iterator begin() { return items_.begin(); }
  ConstIterator begin() const { return items_.begin(); }
  Iterator end() { return items_.end(); }
  ConstIterator end() const { return items_.end(); }
  size_t size() const noexcept { return items_.size(); }
  bool is_empty() const noexcept { return items_.empty(); }
  void reserve(size_t capacity) {
    index_.reserve(capacity);
    items_.reserve(capacity);
  }

  /// Adds an item at the end; a key that is already there is an error.
  template <typename K, typename V> Value& insert(K&& key, V&& value) {
    TG_CHECK(index_.count(key) == 0, "{} '{}' already defined", key_description_, key);
    items_.emplace_back(Key(key), Value(std::forward<V>(value)));
    index_.emplace(Key(std::forward<K>(key)), items_.size() - 1);
    return items_.back().value();
  }
  Value& insert(Key key, Value&& value) { return insert<Key, Value>(std::move(key), std::move(value)); }
  /// Inserts every item of `other` (its keys must be new here).
  void update(const OrderedDict& other) {
    reserve(size() + other.size());
    for (const auto& item : other) insert(item.key(), item.value());
  }
  void update(OrderedDict&& other) {
    reserve(size() + other.size());
    for (auto& item : other) insert(item.key(), std::move(item.value()));
  }
  /// Removes the item under a key (an error when there is none); later items move up.
  void erase(const Key& key) {
    auto it = index_.find(key);
    TG_CHECK(it != index_.end(), "Key '{}' doesn't exist", key);
    const size_t position = it->second;
    index_.erase(it);
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(position));
    for (auto& entry : index_) {
      if (entry.second > position) --entry.second;
    }
  }
  void clear() {
    index_.clear();
    items_.clear();
  }

  const std::vector<Item>& items() const noexcept { return items_; }
  std::vector<Key> keys() const {
    std::vector<Key> out;
    out.reserve(items_.size());
    for (const auto& item : items_) out.push_back(item.key());
    return out;
  }
  std::vector<Value> values() const {
    std::vector<Value> out;
    out.reserve(items_.size());
    for (const auto& item : items_) out.push_back(item.value());
    return out;
  }
  std::vector<std::pair<Key, Value>> pairs() const {
    std::vector<std::pair<Key, Value>> out;
    out.reserve(items_.size());
    for (const auto& item : items_) out.push_back(item.pair());
    return out;
  }

  /// Equal when the keys and values are equal, in the same order.
  friend bool operator==(const OrderedDict& a, const OrderedDict& b) {
    if (a.items_.size() != b.items_.size()) return false;
    for (size_t i = 0; i < a.items_.size(); ++i) {
      if (!(a.items_[i].key() == b.items_[i].key()) || !(a.items_[i].value() == b.items_[i].value())) return false;
    }
    return true;
  }

 private:
  std::unordered_map<Key, size_t> index_;
  std::vector<Item> items_;
  std::string key_description_;
};

}  // namespace tg
