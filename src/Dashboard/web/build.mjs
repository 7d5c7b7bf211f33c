// Bundles the page into ../wwwroot/dist (run by scripts/build-web.sh; the .NET build calls that).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.js'],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['es2020'],
  outfile: '../wwwroot/dist/app.js',
  logLevel: 'warning',
});
