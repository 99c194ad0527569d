// Finding LaTeX in chat messages before Markdown (js/src/components/mathtext.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { extractMath } from "../src/components/mathtext.js";

const D = [{ left: "$$", right: "$$", display: true }, { left: "$", right: "$", display: false }];

test("extractMath: formulas become placeholders, $$ before $", () => {
  const { text, formulas } = extractMath("Area $a_1 * b_2$ and $$\\int_0^1 x\\,dx$$.", D);
  assert.equal(text, 'Area <span class="nbd-math" data-nbd-math="0"></span> and <span class="nbd-math" data-nbd-math="1"></span>.');
  assert.deepEqual(formulas, [{ tex: "a_1 * b_2", display: false }, { tex: "\\int_0^1 x\\,dx", display: true }]);
});

test("extractMath: no delimiters, or an unclosed one, leave the text", () => {
  assert.deepEqual(extractMath("costs $5", D), { text: "costs $5", formulas: [] });
  assert.deepEqual(extractMath("$x$", []), { text: "$x$", formulas: [] });
  assert.equal(extractMath("\\(x\\)", [{ left: "\\(", right: "\\)" }]).formulas[0].tex, "x");
});
