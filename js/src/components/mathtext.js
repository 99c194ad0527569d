// Finding LaTeX in a message before Markdown sees it (Markdown would read
// `_` and `*` inside formulas as emphasis). Pure: node --test runs it.

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Replace each formula of `text` (between a pair of `delimiters`
 * [{left, right, display}]) by an empty placeholder span; returns
 * {text, formulas: [{tex, display}]}. Longer left delimiters are tried first
 * ("$$" before "$"); a left delimiter without its right one stays text.
 */
export function extractMath(text, delimiters) {
  const formulas = [];
  const ds = [...(delimiters || [])].filter((d) => d && d.left && d.right).sort((a, b) => b.left.length - a.left.length);
  if (!ds.length) return { text, formulas };
  const re = new RegExp(ds.map((d) => `${escape(d.left)}([\\s\\S]+?)${escape(d.right)}`).join("|"), "g");
  const out = text.replace(re, (...m) => {
    const groups = m.slice(1, 1 + ds.length);
    const k = groups.findIndex((g) => g !== undefined);
    formulas.push({ tex: groups[k].trim(), display: !!ds[k].display });
    return `<span class="nbd-math" data-nbd-math="${formulas.length - 1}"></span>`;
  });
  return { text: out, formulas };
}
