#pragma once
// Reading fixture documents: an object of the document with members named by their exact
// path ("ContactLists[0].Topics[1].TopicName"), so a rejected fixture says where it is wrong.
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"
#include "server/core/model.hpp"

namespace sesv2mock::fixture {

namespace json = boost::json;

[[noreturn]] inline void reject(const std::string& path, const std::string& why) {
  throw ApiError::bad_request("Fixture rejected at " + path + ": " + why);
}

// Reads members of one fixture object, naming fields by their exact path in the document.
class Node {
 public:
  Node(const json::value& v, std::string path) : path_(std::move(path)) {
    if (!v.is_object())
      reject(path_, "must be an object.");
    object_ = &v.get_object();
  }

  std::string at(std::string_view name) const {
    return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
  }
  const json::value* get(std::string_view name) const {
    const json::value* v = object_->if_contains(name);
    return v && !v->is_null() ? v : nullptr;
  }
  std::optional<std::string> string(std::string_view name) const {
    const json::value* v = get(name);
    if (!v)
      return std::nullopt;
    if (!v->is_string())
      reject(at(name), "must be a string.");
    return std::string(v->get_string());
  }
  std::string required_string(std::string_view name) const {
    auto s = string(name);
    if (!s || s->empty())
      reject(at(name), "is required.");
    return *s;
  }
  std::optional<std::int64_t> count(std::string_view name) const {
    const json::value* v = get(name);
    if (!v)
      return std::nullopt;
    if (!v->is_int64() || v->get_int64() < 0)
      reject(at(name), "must be a whole number >= 0.");
    return v->get_int64();
  }
  std::optional<bool> boolean(std::string_view name) const {
    const json::value* v = get(name);
    if (!v)
      return std::nullopt;
    if (!v->is_bool())
      reject(at(name), "must be true or false.");
    return v->get_bool();
  }
  std::optional<double> timestamp(std::string_view name) const {
    const json::value* v = get(name);
    if (!v)
      return std::nullopt;
    if (auto t = timestamp_of(*v))
      return t;
    reject(at(name), "must be epoch seconds or an ISO 8601 date-time.");
  }
  const json::array* array(std::string_view name) const {
    const json::value* v = get(name);
    if (!v)
      return nullptr;
    if (!v->is_array())
      reject(at(name), "must be an array.");
    return &v->get_array();
  }
  std::optional<Node> child(std::string_view name) const {
    const json::value* v = get(name);
    if (!v)
      return std::nullopt;
    return Node(*v, at(name));
  }
  template <typename E>
  E enumeration(std::string_view name, std::optional<E> (*parse)(std::string_view),
                const char* allowed) const {
    auto text = string(name);
    if (!text)
      reject(at(name), std::string("is required (one of ") + allowed + ").");
    auto value = parse(*text);
    if (!value)
      reject(at(name), std::string("must be one of ") + allowed + ".");
    return *value;
  }
  void only(std::initializer_list<std::string_view> names) const {
    for (const auto& member : *object_) {
      if (std::find(names.begin(), names.end(), member.key()) == names.end()) {
        reject(at(member.key()), "is not a known field.");
      }
    }
  }
  const std::string& path() const { return path_; }

 private:
  const json::object* object_ = nullptr;
  std::string path_;
};

inline Partition partition_of(const Node& n, const Partition& fallback) {
  Partition p = fallback;
  if (auto a = n.string("Account")) {
    if (a->size() != 12 || !std::all_of(a->begin(), a->end(), ::isdigit)) {
      reject(n.at("Account"), "must be 12 digits.");
    }
    p.account = *a;
  }
  if (auto r = n.string("Region"))
    p.region = *r;
  return p;
}

// Calls f(Node) for each element of the array member `name` of the document root.
template <typename F>
void each(const Node& root, std::string_view name, F f) {
  if (const auto* items = root.array(name)) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      f(Node((*items)[i], std::string(name) + "[" + std::to_string(i) + "]"));
    }
  }
}

}  // namespace sesv2mock::fixture
