import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `make web-dev`: the dev server proxies the API of a running `exchange serve` (EXCHANGE_API, default :8000).
const api = process.env.EXCHANGE_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", sourcemap: true, target: "es2022" },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/graphql": { target: api, ws: true, changeOrigin: false },
      "/health": api,
    },
  },
});
