// Test tool for the differential template test (tests/e2e/js/template_oracle.test.mjs):
// reads JSON lines {"template": "...", "data_json": "{...}", "strict": false} on stdin (the
// data as JSON text, as SendEmail's TemplateData carries it) and writes
// one JSON line per input: {"ok": true, "output": "..."} or
// {"ok": false, "kind": "syntax|unsupported|missing_attribute", "error": "..."}.
#include <boost/json.hpp>

#include <iostream>
#include <string>

#include "server/sending/template_renderer.hpp"

namespace {

const char* kind_name(sesv2mock::TemplateError::Kind kind) {
  using K = sesv2mock::TemplateError::Kind;
  switch (kind) {
    case K::syntax:
      return "syntax";
    case K::unsupported:
      return "unsupported";
    case K::missing_attribute:
      return "missing_attribute";
    case K::render:
      return "render";
    case K::invalid_data:
      return "invalid_data";
  }
  return "?";
}

boost::json::object answer(const std::string& line) {
  boost::json::object out;
  boost::system::error_code ec;
  boost::json::value in = boost::json::parse(line, ec);
  if (ec || !in.is_object() || !in.as_object().contains("template") ||
      !in.at("template").is_string()) {
    out["ok"] = false;
    out["kind"] = "input";
    out["error"] = "expected {\"template\": string, \"data_json\": string}";
    return out;
  }
  const auto& o = in.as_object();
  sesv2mock::RenderOptions options;
  if (auto* strict = o.if_contains("strict"); strict && strict->is_bool())
    options.fail_on_missing_attribute = strict->get_bool();
  const boost::json::value* data_json = o.if_contains("data_json");
  try {
    boost::json::value data = sesv2mock::parse_template_data(
        data_json && data_json->is_string() ? std::string_view(data_json->get_string()) : "{}");
    out["output"] =
        sesv2mock::render_template(std::string(o.at("template").get_string()), data, options);
    out["ok"] = true;
  } catch (const sesv2mock::TemplateError& e) {
    out["ok"] = false;
    out["kind"] = kind_name(e.kind());
    out["error"] = e.what();
  }
  return out;
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty())
      continue;
    std::cout << boost::json::serialize(answer(line)) << '\n';
  }
  return 0;
}
