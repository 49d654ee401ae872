// Bundles the web editor (/admin/) from node_modules with esbuild, at build
// time: plugins/clinic/web_editor_bundle.py runs it as
//   node tools/bundle_web_editor.mjs <entry.js> <output folder>
// and caches what it writes. Nothing is fetched when it runs.
//
// Sveltia CMS's ES-module build (npm/index.js, one minified file) would
// still reach two third-party hosts when the page opens; PATCHES removes
// both from that one file, for the pinned version only. An upgrade fails
// here, loudly, until the patches are checked against the new version:
// a patch that no longer matches exactly once would otherwise silently
// let a request to another host back in.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import * as esbuild from 'esbuild';

const SVELTIA_VERSION = '0.221.1'; // package-lock.json pins it
const SVELTIA_MODULE = /[\\/]@sveltia[\\/]cms[\\/]npm[\\/]index\.js$/;

// Each [what it removes, the exact text, its replacement].
const PATCHES = [
  [
    // The UI library's global style declares its three fonts from
    // cdn.jsdelivr.net; the npm build also loads the same fonts from its
    // own assets/ (FontFace objects, the CDN only as their fallback), so
    // the CDN declarations go and the local fonts stay.
    'the font declarations from cdn.jsdelivr.net',
    /\/\* https:\/\/fontsource\.org\/fonts\/source-sans-3\/cdn \*\/[^`]*?\}(?=\.material-symbols-outlined \{)/g,
    '',
  ],
  [
    // The GitHub backend polls www.githubstatus.com every five minutes to
    // show GitHub's outages; without checkStatus the editor does not poll.
    "the GitHub backend's githubstatus.com poll",
    'statusDashboardURL:Lye,checkStatus:zye,',
    'statusDashboardURL:Lye,',
  ],
];

function patched(source, file) {
  let text = source;
  for (const [what, pattern, replacement] of PATCHES) {
    const found = typeof pattern === 'string' ? text.split(pattern).length - 1 : (text.match(pattern) ?? []).length;
    if (found !== 1) {
      throw new Error(`${file}: cannot remove ${what} (found ${found} times, expected once): ` +
        `check the patches in tools/bundle_web_editor.mjs against this version of @sveltia/cms.`);
    }
    text = text.replace(pattern, replacement);
  }
  const left = text.match(/https:\/\/cdn\.jsdelivr\.net/g); // (githubstatus.com stays named, never called)
  if (left) {
    throw new Error(`${file}: still names ${left[0]} after the patches: check tools/bundle_web_editor.mjs.`);
  }
  return text;
}

const patchSveltia = {
  name: 'patch-sveltia',
  setup(build) {
    let loaded = false;
    build.onLoad({ filter: SVELTIA_MODULE }, async ({ path: file }) => {
      const manifest = JSON.parse(await readFile(path.join(path.dirname(file), '..', 'package.json'), 'utf8'));
      if (manifest.version !== SVELTIA_VERSION) {
        throw new Error(`@sveltia/cms is ${manifest.version}, but tools/bundle_web_editor.mjs patches ` +
          `${SVELTIA_VERSION}: check its patches against the new version, then change SVELTIA_VERSION.`);
      }
      loaded = true;
      return { contents: patched(await readFile(file, 'utf8'), file), loader: 'js' };
    });
    build.onEnd((result) => {
      if (!result.errors.length && !loaded) {
        result.errors.push({ text: `the bundle never loaded @sveltia/cms/npm/index.js, so nothing was patched` });
      }
    });
  },
};

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('usage: node tools/bundle_web_editor.mjs <entry.js> <output folder>');
  process.exit(2);
}
try {
  await esbuild.build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    format: 'esm',
    splitting: true, // the code highlighters and image codecs load only when used
    minify: true,
    target: 'es2022',
    chunkNames: 'chunks/[name]-[hash]',
    // The package's wasm, fonts and workers are found through
    // new URL('assets/…', import.meta.url): copied beside the chunks by the
    // caller, not inlined.
    loader: { '.wasm': 'file', '.woff2': 'file', '.png': 'file' },
    logLevel: 'warning',
    legalComments: 'none',
    plugins: [patchSveltia],
  });
} catch (error) {
  console.error(error.message ?? error);
  process.exit(1);
}
