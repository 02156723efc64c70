// Vite builds web/ into web/dist, which make embeds into the rapport binary (scripts/embed-web.sh).
// Everything the page loads is a file of its own: no inline script or style, no data: URIs, so it runs
// under the server's Content-Security-Policy of default-src 'self'.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` beside `rapport serve --listen 127.0.0.1:8080`: the API (and its session cookie)
    // come through this proxy, so the app is same-origin as in production
    proxy: { '/api': { target: process.env.RAPPORT_URL ?? 'http://127.0.0.1:8080' } },
  },
});
