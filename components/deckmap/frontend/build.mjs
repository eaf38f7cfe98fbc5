// Bundle src/main.js into dist/assets/deckmap-<contenthash>.js and write dist/index.html pointing at it.
// The content hash in the name lets the server send the bundle with an immutable Cache-Control header.
import {build} from "esbuild";
import {mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";

rmSync("dist", {recursive: true, force: true});
mkdirSync("dist/assets", {recursive: true});
const result = await build({
  entryPoints: ["src/main.js"],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome100", "firefox100", "safari15"],
  outdir: "dist/assets",
  entryNames: "deckmap-[hash]",
  metafile: true,
  legalComments: "linked",
  logLevel: "warning",
});
const js = Object.keys(result.metafile.outputs).find((p) => p.endsWith(".js"));
const name = js.split("/").pop();
const html = readFileSync("src/index.html", "utf8").replace("__BUNDLE__", `assets/${name}`);
writeFileSync("dist/index.html", html);
console.log(`built dist/assets/${name}`);
