// Builds nbdemo/static/ from src/: the runtime (all renderers, one ES module),
// the notebook stub (keyed by the runtime's hash), the standalone page host
// and the stylesheet. Run: npm run build
//
// The page is built with code splitting: what renderers import dynamically
// (the native plots' chart module with uPlot) becomes its own chunk
// (chunk-*.js), fetched only by pages that show a plot. The notebook runtime
// travels over the widget comm as one module (a blob URL cannot import
// relative chunks), so it stays one file with everything in it. Renderers
// loaded with import() (components/index.js `lazy`) and the modules they
// share become chunk-*.js files; their names carry a hash, so commit the
// folder with `git add nbdemo/static` (new chunk files are untracked).
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";

const out = new URL("../nbdemo/static/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (/^chunk-.*\.js$/.test(f)) rmSync(`${out}${f}`); // stale chunks
const common = { bundle: true, format: "esm", minify: true, target: "es2020", legalComments: "none",
  loader: { ".css": "text" }, logLevel: "warning" };

await build({ ...common, entryPoints: ["src/runtime.js"], outfile: `${out}runtime.js` });
const key = createHash("sha256").update(readFileSync(`${out}runtime.js`)).digest("hex").slice(0, 16);
await build({ ...common, entryPoints: ["src/stub.js"], outfile: `${out}stub.js`,
  define: { __RUNTIME_KEY__: JSON.stringify(key) } });
// The page links nbdemo.css itself, so its bundle leaves the stylesheet out.
const noCss = { name: "no-css", setup(b) { b.onLoad({ filter: /nbdemo\.css$/ }, () => ({ contents: "", loader: "text" })); } };
await build({ ...common, entryPoints: { page: "src/page.js" }, outdir: out, splitting: true,
  chunkNames: "chunk-[name]-[hash]", plugins: [noCss] });
// The 3D viewer (three.js): a module of its own, imported by URL by the page's
// Model3D renderer and sent over the comm to the notebook runtime when needed.
await build({ ...common, entryPoints: ["src/viewer3d.js"], outfile: `${out}viewer3d.js` });
// The "Use via API" page's copy buttons (a page of its own, server-rendered).
await build({ ...common, entryPoints: ["src/api_page.js"], outfile: `${out}api_page.js` });
copyFileSync("src/nbdemo.css", `${out}nbdemo.css`);
console.log(`built nbdemo/static (runtime ${key})`);
