// Differential test of sesv2-mock's template renderer against the npm `handlebars` package,
// the engine SES templates follow. Each case goes through both; outputs must be equal, and
// a template Handlebars refuses must be refused by ours too.
//
// The oracle prints values without HTML escaping, as SES does. It does so by making
// Handlebars' escape function a plain String() conversion rather than with
// {noEscape: true}: with noEscape, handlebars.js joins a program's first values with
// JavaScript `+`, so "{{a}}{{b}}" with a=1, b=2 prints "3" (a JavaScript artefact, not a
// template rule). Triple-stash output has the same artefact, so generated templates never
// start a program with {{{x}}}.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import Handlebars from 'handlebars';

const tool = process.env.TEMPLATE_RENDER_TOOL;

const hb = Handlebars.create();
hb.Utils.escapeExpression = (v) => (v == null ? '' : String(v));

function oracle(template, data) {
  try {
    return { ok: true, output: String(hb.compile(template)(data)) };
  } catch (e) {
    return { ok: false, error: e.message };
  }
}

function ours(cases) {
  const input = cases.map((c) => JSON.stringify({ template: c.template, data_json: JSON.stringify(c.data), strict: !!c.strict })).join('\n') + '\n';
  const run = spawnSync(tool, [], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

const ses = {
  meta: { userId: '51806220607' },
  contact: { firstName: 'Anaya', lastName: 'Iyengar', city: 'Bengaluru', country: 'India', postalCode: '560052' },
  subscription: [{ interest: 'Sports' }, { interest: 'Travel' }, { interest: 'Cooking' }],
};

// Hand-written cases: the SES developer guide's examples and each feature's edges.
const fixed = [
  ['Hello {{contact.firstName}}!', ses],
  ['<ul>\n{{#each subscription}}\n  <li>{{interest}}</li>\n{{/each}}\n</ul>', ses],
  ['{{#if contact.city}}City: {{contact.city}}{{else}}No city{{/if}}', ses],
  ['{{#if contact.zip}}Zip: {{contact.zip}}{{else}}No zip{{/if}}', ses],
  ['Dear {{name}},\r\nYour favorite color is {{favoritecolor}}.', { name: 'Ana', favoritecolor: 'blue' }],
  ['{{missing}}|{{a.b.c}}|{{n}}', { a: { b: null }, n: null }],
  ['{{x}} {{y}} {{z}} {{w}} {{v}}', { x: 3, y: 2.5, z: true, w: false, v: 0 }],
  ['{{big}} {{tiny}} {{neg}} {{e}} {{m}}', { big: 1e21, tiny: 1e-7, neg: -12.75, e: 123456789012345680000, m: 0.000001 }],
  ['{{o}} / {{a}} / {{nested}}', { o: { k: 1 }, a: [1, 2, 'x'], nested: [1, [2, 3], null, { a: 1 }] }],
  ['{{html}}|{{{html}}}|{{&html}}', { html: '<b>"Tom" & \'Jerry\'</b>' }],
  ['{{#each items}}{{@index}}:{{this}}{{#if @first}}(first){{/if}}{{#if @last}}(last){{/if}} {{/each}}', { items: ['a', 'b', 'c'] }],
  ['{{#each o}}{{@key}}={{this}};{{/each}}', { o: { b: 1, 2: 2, a: 3, 1: 4, '-1': 5, '01': 6 } }],
  ['{{#each empty}}x{{else}}none{{/each}}', { empty: [] }],
  ['{{#each s}}x{{else}}not iterable{{/each}}', { s: 'abc' }],
  ['{{#unless ok}}not ok{{else}}ok{{/unless}}', { ok: 0 }],
  ['{{#if a}}A{{else if b}}B{{else if c}}C{{else}}D{{/if}}', { c: 1 }],
  ['{{#if a}}A{{else if b}}B{{/if}}', {}],
  ['{{#if zero}}y{{else}}n{{/if}} {{#if emptyObj}}y{{else}}n{{/if}} {{#if emptyArr}}y{{else}}n{{/if}}', { zero: 0, emptyObj: {}, emptyArr: [] }],
  ['{{#with contact}}{{firstName}} from {{city}}{{/with}}', ses],
  ['{{#with nope}}x{{else}}no contact{{/with}} {{#with zero}}[{{this}}]{{/with}}', { zero: 0 }],
  ['{{#person}}{{name}}{{/person}}{{^person}}nobody{{/person}}', { person: { name: 'Kim' } }],
  ['{{#list}}<{{this}}>{{/list}}{{^list}}empty{{/list}}', { list: [] }],
  ['{{#flag}}on{{/flag}}{{^flag}}off{{/flag}}', { flag: false }],
  ['{{#each rows}}{{#each this}}[{{../../title}}|{{../name}}|{{this}}]{{/each}}{{/each}}', { title: 'T', rows: [['x', 'y']] }],
  ['{{#each rows}}{{#each cells}}[{{../../title}}|{{../name}}|{{this}}]{{/each}}{{/each}}', { title: 'T', rows: [{ name: 'N', cells: ['x'] }] }],
  ['{{#if a}}{{../t}}{{/if}}', { a: 1, t: 'T' }],
  ['{{@root.t}} {{#each l}}{{@root.t}}{{@index}}{{/each}}', { t: 'R', l: [1, 2] }],
  ['{{this.a}} {{./a}} {{this/a}} {{a/b}}', { a: { b: 3 } }],
  ['{{a.[b c]}} {{first-name}} {{items.[0]}} {{items.length}} {{s.length}}', { a: { 'b c': 9 }, 'first-name': 'F', items: ['i0'], s: 'héllo' }],
  ['{{items.0.n}}', { items: [{ n: 'x' }] }],
  ['a {{! short comment }} b {{!-- long }} comment --}} c', {}],
  ['line1\n  {{! standalone comment }}\nline2', {}],
  ['{{#if a}}\n  yes\n{{else}}\n  no\n{{/if}}\n', { a: true }],
  ['{{#if a}}\n  yes\n{{else}}\n  no\n{{/if}}\n', { a: false }],
  ['  {{#each l}}\n  - {{this}}\n  {{/each}}\ntail', { l: [1, 2] }],
  ['x {{~ a ~}} y', { a: 'A' }],
  ['x\n\n{{~#if a~}}\n\n  A  \n\n{{~else~}}\n\nB\n{{~/if~}}\n\ny', { a: 1 }],
  ['{{#each l~}}\n {{this}} \n{{~/each}}', { l: ['p', 'q'] }],
  ['a\\{{b}}c{{d}} \\\\{{d}}', { b: 1, d: 2 }],
  ['{{#if a}}\r\n  crlf\r\n{{/if}}\r\n', { a: 1 }],
  ['{{#if true}}t{{/if}}{{#if false}}f{{/if}}{{#if "s"}}s{{/if}}{{#if 0}}z{{/if}}{{#if 1}}1{{/if}}', {}],
  ['{{#each l}}{{#if @first}}{{else}}, {{/if}}{{name}}{{/each}}', { l: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }],
  ['{{#each l}}{{@key}}{{/each}}', { l: ['a', 'b'] }],
  ['{{ spaced }} {{#if  spaced }}yes{{/if}}', { spaced: 'S' }],
  ['Ünïcødé {{name}} ✓', { name: 'Zoë 🎉' }],
  ['{{#each a}}{{#each this}}{{this}}{{/each}};{{/each}}', { a: [[1, 2], [3]] }],
  ['{{#each l}}[{{this}}|{{.}}|{{#with this}}w{{/with}}|{{#if this}}t{{/if}}]{{/each}}', { l: [null, 0, ''] }],
  ['{{#with a}}{{#with b}}[{{../../t}}|{{../n}}]{{/with}}{{/with}}', { a: { n: 'N', b: { c: 1 } }, t: 'T' }],
  // Inline partials, as the SES guide shows them, and their scoping and indentation.
  ['{{#* inline "fullName"}}{{firstName}}{{#if middleName}} {{middleName}}{{/if}} {{lastName}}{{/inline}}\n<h1>Hello {{> fullName}}!</h1>', { firstName: 'Anaya', lastName: 'Iyengar' }],
  ['{{> p}}{{#*inline "p"}}P{{x}}{{/inline}}', { x: 1 }],
  ['{{#*inline "p"}}\n  line1\n  line2\n{{/inline}}\n<div>\n    {{> p}}\n</div>', {}],
  ['{{#each l}}{{> item}}{{/each}}{{#*inline "item"}}[{{this}}]{{/inline}}', { l: [1, 2] }],
  ['{{#if a}}{{#*inline "p"}}in{{/inline}}{{> p}}{{/if}}', { a: 1 }],
  ['{{#*inline "p"}}{{name}}{{/inline}}{{> p person}} {{> "p" other}}', { person: { name: 'N' }, other: { name: 'O' } }],
  ['{{#*inline "p"}}{{../x}}{{@root.x}}{{/inline}}{{#each l}}{{> p}}{{/each}}', { x: 'X', l: [1] }],
  ['{{#*inline "a"}}A{{/inline}}{{#*inline "a"}}B{{/inline}}{{> a}}', {}],
  ['{{#*inline "p"}}x\ny\n{{/inline}}  {{> p}}\n', {}],
  ['{{#*inline "p"}}{{> q}}{{/inline}}{{#*inline "q"}}Q{{/inline}}{{> p}}', {}],
  ['a\n  {{> p}}\nb{{#*inline "p"}}{{#each l}}\n{{this}}\n{{/each}}{{/inline}}', { l: [1, 2] }],
  // Templates Handlebars refuses, and so must we.
  ['{{#if a}}{{#*inline "p"}}in{{/inline}}{{/if}}{{> p}}', { a: 1 }],
  ['{{> nowhere}}', {}],
  ['{{#if a}}unclosed', { a: 1 }],
  ['{{#if a}}x{{/each}}', { a: 1 }],
  ['{{else}}', {}],
  ['{{/if}}', {}],
  ['{{#if}}x{{/if}}', {}],
  ['{{#each}}x{{/each}}', {}],
  ['{{items.0}}', { items: ['a'] }],
  ['{{unclosed', {}],
  ['{{!-- never closed', {}],
  ['{{a.b..c}}', {}],
];

// Seeded generator of templates and data, so every run checks the same few hundred cases.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const names = ['a', 'b', 'c', 'name', 'list', 'obj'];
  function value(depth) {
    const k = r();
    if (depth > 2 || k < 0.45) return pick([0, 1, 2.5, -3, 1e21, true, false, null, '', 'x', 'hi there', '<&>', 'ü']);
    if (k < 0.7) return Array.from({ length: Math.floor(r() * 3) }, () => value(depth + 1));
    const o = {};
    for (const n of names) if (r() < 0.5) o[n] = value(depth + 1);
    return o;
  }
  function data() {
    const o = {};
    for (const n of names) if (r() < 0.8) o[n] = value(0);
    return o;
  }
  const ws = () => pick(['', ' ', '\n', '  \n', '\n  ', ' \t', 'x\n', '\r\n']);
  const tilde = () => (r() < 0.15 ? '~' : '');
  function path() {
    return pick(['this', '.', ...names, 'obj.a', 'obj.list', 'list.length', '@index', '@key', '@first', '@last', '@root.name', '../name', '../../a', 'a.b.c']);
  }
  function body(depth) {
    let out = '';
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      const k = r();
      if (k < 0.3) out += ws() + pick(['text', '-', 'A B', '']) + ws();
      else if (k < 0.55) out += `{{${tilde()}${path()}${tilde()}}}`;
      else if (k < 0.6) out += `y{{{${path()}}}}`;
      else if (k < 0.65) out += `{{${tilde()}! note ${tilde()}}}`;
      else if (k < 0.7) out += ws() + `{{${tilde()}> part${tilde()}}}` + ws();
      else if (depth < 3) {
        const helper = pick(['if', 'unless', 'each', 'with', 'section', 'inverse']);
        const p = path();
        const inner = () => ws() + body(depth + 1) + ws();
        const elsePart = r() < 0.4 ? `{{${tilde()}else${tilde()}}}` + inner() : '';
        if (helper === 'section') { const n2 = pick(names); out += `{{${tilde()}#${n2}${tilde()}}}${inner()}${elsePart}{{${tilde()}/${n2}${tilde()}}}`; }
        else if (helper === 'inverse') { const n2 = pick(names); out += `{{^${n2}}}${inner()}{{/${n2}}}`; }
        else if (helper === 'if' && r() < 0.3) out += `{{#if ${p}}}${inner()}{{else if ${path()}}}${inner()}${elsePart}{{/if}}`;
        else out += `{{${tilde()}#${helper} ${p}${tilde()}}}${inner()}${elsePart}{{${tilde()}/${helper}${tilde()}}}`;
      }
    }
    return out;
  }
  // Every generated template defines the partial it may call, on a line of its own.
  return () => ({ template: `{{#*inline "part"}}\n${body(2)}\n{{/inline}}\n` + body(0), data: data() });
}

function cases() {
  const all = fixed.map(([template, data]) => ({ template, data }));
  const next = generator(20261129);
  for (let i = 0; i < 400; i++) all.push(next());
  return all;
}

test('our renderer prints what handlebars prints', (t) => {
  assert.ok(tool, 'TEMPLATE_RENDER_TOOL must name the template_render_tool binary');
  const all = cases();
  const got = ours(all);
  assert.equal(got.length, all.length);
  const mismatches = [];
  all.forEach((c, i) => {
    const want = oracle(c.template, c.data);
    const have = got[i];
    if (want.ok !== have.ok || (want.ok && want.output !== have.output)) {
      mismatches.push({ template: c.template, data: c.data, handlebars: want, ours: have });
    }
  });
  const generatedOk = all.slice(fixed.length).filter((c, i) => got[fixed.length + i].ok).length;
  t.diagnostic(`${all.length} cases (${fixed.length} written, ${all.length - fixed.length} generated, ${generatedOk} of them render)`);
  assert.ok(generatedOk > 300, `only ${generatedOk} generated templates rendered`);
  assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} of ${all.length} cases differ`);
});

test('strict rendering names the missing attribute', () => {
  // SES fails a message whose variable is missing or null (aws/aws-sdk-js#2239).
  const [missing, nulled, inIf] = ours([
    { template: 'Dear {{name}}, {{favoritecolor}}', data: { name: 'A' }, strict: true },
    { template: 'Dear {{name}}', data: { name: null }, strict: true },
    { template: '{{#if nope}}x{{/if}}ok', data: {}, strict: true },
  ]);
  assert.deepEqual(missing, {
    ok: false,
    kind: 'missing_attribute',
    error: "Attribute 'favoritecolor' is not present in the rendering data.",
  });
  assert.deepEqual(nulled, { ok: false, kind: 'missing_attribute', error: "Attribute 'name' is not present in the rendering data." });
  assert.deepEqual(inIf, { ok: true, output: 'ok' });
});
