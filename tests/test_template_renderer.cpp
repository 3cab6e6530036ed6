#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "server/sending/template_renderer.hpp"
#include "server/sending/template_values.hpp"

using namespace sesv2mock;

namespace {

std::string render(std::string_view text, std::string_view data_json, bool strict = false) {
  RenderOptions options;
  options.fail_on_missing_attribute = strict;
  return render_template(text, boost::json::parse(data_json), options);
}

TemplateError::Kind error_kind(std::string_view text, std::string_view data_json = "{}",
                               bool strict = false, std::string* message = nullptr) {
  try {
    render(text, data_json, strict);
  } catch (const TemplateError& e) {
    if (message)
      *message = e.what();
    return e.kind();
  }
  FAIL("no TemplateError for " << text);
  return TemplateError::Kind::syntax;
}

}  // namespace

TEST_CASE("template variables and paths") {
  SUBCASE("the SES guide's nested attributes") {
    CHECK(render("Hello {{contact.firstName}}!", R"({"contact":{"firstName":"Anaya"}})") ==
          "Hello Anaya!");
  }
  SUBCASE("values are never HTML-escaped, in any stash") {
    CHECK(render("{{v}}|{{{v}}}|{{&v}}", R"({"v":"<b>\"A\" & 'B'</b>"})") ==
          R"(<b>"A" & 'B'</b>|<b>"A" & 'B'</b>|<b>"A" & 'B'</b>)");
  }
  SUBCASE("values print as JavaScript prints them") {
    CHECK(render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
                 R"({"a":3,"b":2.5,"c":true,"d":false,"e":0,"f":-0.0})") == "3 2.5 true false 0 0");
    CHECK(render("{{o}}|{{l}}|{{n}}", R"({"o":{"k":1},"l":[1,[2,3],null,{"a":1}],"n":null})") ==
          "[object Object]|1,2,3,,[object Object]|");
  }
  SUBCASE("missing data prints nothing unless rendering is strict") {
    CHECK(render("[{{nope}}][{{a.b.c}}]", R"({"a":{"b":null}})") == "[][]");
    std::string message;
    CHECK(error_kind("Dear {{name}}, {{favoritecolor}}", R"({"name":"A"})", true, &message) ==
          TemplateError::Kind::missing_attribute);
    CHECK(message == "Attribute 'favoritecolor' is not present in the rendering data.");
    CHECK(error_kind("Dear {{n}}", R"({"n":null})", true) ==
          TemplateError::Kind::missing_attribute);
    CHECK(render("{{n}}{{#if nope}}x{{/if}}{{#each l}}{{this}}{{/each}}", R"({"n":0,"l":[]})",
                 true) == "0");
  }
  SUBCASE("this, ./, /, [literal] segments, length") {
    CHECK(render("{{this.a.b}} {{./a.b}} {{a/b}} {{x.[b c]}} {{l.length}} {{l.[1]}} {{s.length}}",
                 R"({"a":{"b":1},"x":{"b c":2},"l":[7,8],"s":"héllo"})") == "1 1 1 2 2 8 5");
  }
}

TEST_CASE("template blocks") {
  SUBCASE("if, else if, else, unless") {
    const char* t = "{{#if a}}A{{else if b}}B{{else}}C{{/if}}";
    CHECK(render(t, R"({"a":1})") == "A");
    CHECK(render(t, R"({"b":"x"})") == "B");
    CHECK(render(t, R"({"a":0,"b":[]})") == "C");
    CHECK(render("{{#unless a}}no{{else}}yes{{/unless}}", R"({"a":""})") == "no");
    CHECK(render("{{#if o}}y{{/if}}", R"({"o":{}})") == "y");  // empty objects are true
  }
  SUBCASE("each over arrays and objects, with @-variables") {
    CHECK(
        render("{{#each l}}{{@index}}{{this}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}},{{/each}}",
               R"({"l":["a","b","c"]})") == "0aF,1b,2cL,");
    CHECK(render("{{#each o}}{{@key}}={{this}};{{/each}}",
                 R"({"b":0,"o":{"b":1,"2":2,"a":3,"1":4}})") == "1=4;2=2;b=1;a=3;");
    CHECK(render("{{#each l}}x{{else}}none{{/each}}", R"({"l":[]})") == "none");
    CHECK(render("{{#each l}}{{name}} in {{../city}}{{/each}}",
                 R"({"city":"Oslo","l":[{"name":"K"}]})") == "K in Oslo");
    CHECK(render("{{#each l}}{{@root.t}}{{/each}}", R"({"t":"R","l":[1,2]})") == "RR");
  }
  SUBCASE("with and mustache sections") {
    CHECK(render("{{#with c}}{{n}}{{/with}}{{#with z}}[{{this}}]{{/with}}",
                 R"({"c":{"n":"N"},"z":0})") == "N[0]");
    CHECK(render("{{#p}}{{n}}{{/p}}{{^p}}none{{/p}}", R"({"p":{"n":"K"}})") == "K");
    CHECK(render("{{#p}}{{n}}{{/p}}{{^p}}none{{/p}}", R"({"p":false})") == "none");
    CHECK(render("{{#l}}<{{this}}>{{/l}}", R"({"l":[1,2]})") == "<1><2>");
  }
  SUBCASE("../ climbs only contexts that changed") {
    CHECK(render("{{#if a}}[{{../t}}]{{/if}}", R"({"a":1,"t":"T"})") == "[]");
    CHECK(render("{{#with a}}{{#with b}}{{../../t}}{{../n}}{{/with}}{{/with}}",
                 R"({"t":"T","a":{"n":"N","b":{}}})") == "TN");
  }
}

TEST_CASE("template inline partials") {
  SUBCASE("the SES guide's fullName partial") {
    CHECK(render("{{#* inline \"fullName\"}}{{firstName}}{{#if middleName}} {{middleName}}{{/if}} "
                 "{{lastName}}{{/inline}}\n<h1>Hello {{> fullName}}!</h1>",
                 R"({"firstName":"Anaya","lastName":"Iyengar"})") ==
          "\n<h1>Hello Anaya Iyengar!</h1>");
  }
  SUBCASE("defined anywhere in the calling program, with an optional context") {
    CHECK(render("{{> p}}|{{> p person}}|{{> \"p\" other}}{{#*inline \"p\"}}{{name}}{{/inline}}",
                 R"({"name":"R","person":{"name":"N"},"other":{"name":"O"}})") == "R|N|O");
    CHECK(render("{{#each l}}{{> item}}{{/each}}{{#*inline \"item\"}}[{{this}}]{{/inline}}",
                 R"({"l":[1,2]})") == "[1][2]");
  }
  SUBCASE("a standalone call indents every line") {
    CHECK(render("{{#*inline \"p\"}}\n  a\n  b\n{{/inline}}\n<div>\n    {{> p}}\n</div>", "{}") ==
          "<div>\n      a\n      b\n</div>");
  }
  SUBCASE("scoped to the program that defines them") {
    std::string message;
    CHECK(error_kind("{{#if a}}{{#*inline \"p\"}}in{{/inline}}{{/if}}{{> p}}", R"({"a":1})", false,
                     &message) == TemplateError::Kind::render);
    CHECK(message == "The partial p could not be found");
  }
  SUBCASE("runaway recursion is an error, not a crash") {
    std::string message;
    CHECK(error_kind("{{#*inline \"p\"}}{{> p}}{{> p}}{{/inline}}{{> p}}", "{}", false, &message) ==
          TemplateError::Kind::render);
    CHECK(message == "Partials nest deeper than 32 levels.");
    std::string deep;
    for (int i = 0; i < 101; ++i)
      deep += "{{#if a}}";
    CHECK(error_kind(deep) == TemplateError::Kind::syntax);
  }
}

TEST_CASE("template null contexts behave as in handlebars.js") {
  // A null item is null to {{this}} in the loop body, but an empty object to the body of
  // a built-in helper such as {{#if}}.
  CHECK(render("{{#each l}}[{{this}}|{{#if "
               "true}}{{this}}{{/if}}|{{#x}}s{{else}}{{this}}{{/x}}]{{/each}}",
               R"({"l":[null]})") == "[|[object Object]|]");
}

TEST_CASE("template whitespace") {
  SUBCASE("standalone block lines disappear") {
    CHECK(render("<ul>\n{{#each l}}\n  <li>{{this}}</li>\n{{/each}}\n</ul>",
                 R"({"l":["a","b"]})") == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>");
    CHECK(render("{{#if a}}\n  yes\n{{else}}\n  no\n{{/if}}\n", R"({"a":false})") == "  no\n");
    CHECK(render("a\n  {{! note }}\nb", "{}") == "a\nb");
  }
  SUBCASE("~ strips whitespace on its side") {
    CHECK(render("x  {{~a~}}  \n y", R"({"a":"A"})") == "xAy");
    CHECK(render("{{#each l~}}\n {{this}} \n{{~/each}}", R"({"l":["p","q"]})") == "pq");
  }
  SUBCASE("comments and escaped mustaches") {
    CHECK(render("a{{! c }}b{{!-- }} --}}c", "{}") == "abc");
    CHECK(render("\\{{x}} {{x}}", R"({"x":1})") == "{{x}} 1");
  }
}

TEST_CASE("template errors") {
  std::string message;
  CHECK(error_kind("{{#if a}}open", "{}", false, &message) == TemplateError::Kind::syntax);
  CHECK(message == "Unclosed block {{#if}} opened on line 1.");
  CHECK(error_kind("{{#if a}}x{{/each}}", "{}", false, &message) == TemplateError::Kind::syntax);
  CHECK(message == "if doesn't match each on line 1.");
  CHECK(error_kind("a\n{{else}}") == TemplateError::Kind::syntax);
  CHECK(error_kind("{{/if}}") == TemplateError::Kind::syntax);
  CHECK(error_kind("{{#if}}x{{/if}}", "{}", false, &message) == TemplateError::Kind::syntax);
  CHECK(message == "#if requires exactly one argument (line 1).");
  CHECK(error_kind("{{#each}}x{{/each}}") == TemplateError::Kind::syntax);
  CHECK(error_kind("{{x") == TemplateError::Kind::syntax);
  CHECK(error_kind("{{!-- open") == TemplateError::Kind::syntax);
  CHECK(error_kind("{{l.0}}") == TemplateError::Kind::syntax);
  CHECK(error_kind("{{a/../b}}") == TemplateError::Kind::syntax);
  CHECK(error_kind("{{#> layout}}x{{/layout}}") == TemplateError::Kind::unsupported);
  CHECK(error_kind("{{#*other \"p\"}}x{{/other}}") == TemplateError::Kind::unsupported);
  CHECK(error_kind("{{upper name}}", "{}", false, &message) == TemplateError::Kind::unsupported);
  CHECK(message == "Missing helper: \"upper\" (line 1).");
}

TEST_CASE("a parsed template renders many times") {
  auto t = EmailTemplate::parse("Hi {{name}}");
  CHECK(t.render(boost::json::parse(R"({"name":"A"})")) == "Hi A");
  CHECK(t.render(boost::json::parse(R"({"name":"B"})")) == "Hi B");
}

TEST_CASE("JavaScript number text") {
  using template_values::number_text;
  CHECK(number_text(3) == "3");
  CHECK(number_text(2.5) == "2.5");
  CHECK(number_text(-12.75) == "-12.75");
  CHECK(number_text(1e21) == "1e+21");
  CHECK(number_text(1e-7) == "1e-7");
  CHECK(number_text(0.000001) == "0.000001");
  CHECK(number_text(123456789) == "123456789");
  CHECK(number_text(1.5e300) == "1.5e+300");
  CHECK(number_text(0.1 + 0.2) == "0.30000000000000004");
}

TEST_CASE("parse_template_data reads numbers as JavaScript does") {
  // Boost.JSON 1.81 alone reads this literal one unit in the last place off.
  auto data =
      parse_template_data(R"({"e":123456789012345680000,"l":[0.1,2.5,-7],"s":"9.99e9 in text"})");
  CHECK(render_template("{{e}} {{l}} {{s}}", data) ==
        "123456789012345680000 0.1,2.5,-7 9.99e9 in text");
  try {
    parse_template_data("{\"a\":");
    FAIL("expected TemplateError");
  } catch (const TemplateError& e) {
    CHECK(e.kind() == TemplateError::Kind::invalid_data);
    CHECK(std::string(e.what()) == "TemplateData is not valid JSON.");
  }
}
