// The Handlebars subset of gr.HTML templates (js/src/components/handlebars.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { handlebars } from "../src/components/handlebars.js";

test("handlebars: variables are escaped, triple braces are raw", () => {
  assert.equal(handlebars("Hi {{value}}!", { value: "<b>Jo</b>" }), "Hi &lt;b&gt;Jo&lt;/b&gt;!");
  assert.equal(handlebars("{{{value}}}", { value: "<b>Jo</b>" }), "<b>Jo</b>");
  assert.equal(handlebars("{{user.name}}|{{missing}}", { user: { name: "Ann" } }), "Ann|");
  assert.equal(handlebars("no tags ${x}", {}), "no tags ${x}");
});

test("handlebars: each with this, @index and the outer context; if/else; unless", () => {
  const props = { value: ["a", "b"], sep: "-" };
  assert.equal(handlebars("{{#each value}}<li>{{@index}}{{sep}}{{this}}</li>{{/each}}", props),
    "<li>0-a</li><li>1-b</li>");
  assert.equal(handlebars("{{#each value}}x{{else}}empty{{/each}}", { value: [] }), "empty");
  assert.equal(handlebars("{{#if ok}}yes{{else}}no{{/if}}", { ok: 0 }), "no");
  assert.equal(handlebars("{{#unless ok}}off{{/unless}}", { ok: false }), "off");
  assert.equal(handlebars("{{#each rows}}{{name}}={{@key}};{{/each}}", { rows: { a: { name: "x" } } }), "x=a;");
  assert.throws(() => handlebars("{{#custom x}}{{/custom}}", {}), /not supported/);
});
