// Builds nbdemo/static/ from src/: the runtime (all renderers, one ES module),
// the notebook stub (keyed by the runtime's hash), the standalone page host
// and the stylesheet. Run: npm run build
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";

const out = new URL("../nbdemo/static/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const common = { bundle: true, format: "esm", minify: true, target: "es2020", legalComments: "none",
  loader: { ".css": "text" }, logLevel: "warning" };

await build({ ...common, entryPoints: ["src/runtime.js"], outfile: `${out}runtime.js` });
const key = createHash("sha256").update(readFileSync(`${out}runtime.js`)).digest("hex").slice(0, 16);
await build({ ...common, entryPoints: ["src/stub.js"], outfile: `${out}stub.js`,
  define: { __RUNTIME_KEY__: JSON.stringify(key) } });
// The page links nbdemo.css itself, so its bundle leaves the stylesheet out.
const noCss = { name: "no-css", setup(b) { b.onLoad({ filter: /nbdemo\.css$/ }, () => ({ contents: "", loader: "text" })); } };
await build({ ...common, entryPoints: ["src/page.js"], outfile: `${out}page.js`, plugins: [noCss] });
copyFileSync("src/nbdemo.css", `${out}nbdemo.css`);
console.log(`built nbdemo/static (runtime ${key})`);
