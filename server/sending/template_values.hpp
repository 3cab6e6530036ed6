#pragma once
// How a Handlebars template sees JSON data: JavaScript's string conversion, truthiness and
// loose equality, applied to Boost.JSON values. SES renders templates with Handlebars, and
// TemplateData arrives as JSON, so a value prints the way JavaScript prints it
// (3, 2.5, 1e+21, "a,b", "[object Object]").
#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sesv2mock::template_values {

// Number.prototype.toString for a double: shortest round-trip digits, exponent form
// outside [1e-7, 1e21).
std::string number_text(double d);

// String(value) as JavaScript computes it: null -> "null" inside nothing (callers print
// null/undefined as ""), arrays joined with "," (null elements empty), objects
// "[object Object]".
std::string text_of(const boost::json::value& v);

// `{{#if}}` and `{{#unless}}`: JavaScript falsiness plus Handlebars' "empty array is false".
bool is_truthy(const boost::json::value* v);

// Handlebars' isEmpty (used by `{{#with}}`): like falsy, but 0 is not empty.
bool is_empty(const boost::json::value* v);

// JavaScript `a == b` for two contexts (Handlebars compares a block's new context with the
// current one this way to decide whether `../` gains a level).
bool loose_equal(const boost::json::value* a, const boost::json::value* b);

// The member named `name` of `parent` as Handlebars' lookupProperty finds it: own members of
// objects, array indexes and "length", a string's "length". nullptr when absent.
// `scratch` owns values made up on the way (a length).
class Scratch;
const boost::json::value* member(const boost::json::value* parent, std::string_view name,
                                 Scratch& scratch);

// Object keys in JavaScript's Object.keys order: integer-like keys ascending, then the
// others in insertion order.
std::vector<std::string_view> keys_in_js_order(const boost::json::object& o);

// Values created while rendering (@index, @first, lengths); addresses stay valid.
class Scratch {
 public:
  const boost::json::value* keep(boost::json::value v);

 private:
  std::vector<std::unique_ptr<boost::json::value>> values_;
};

}  // namespace sesv2mock::template_values
