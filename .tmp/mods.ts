const before = new Set(Object.keys(require.cache));
const t = performance.now();
require("../index");
const ms = performance.now() - t;
const ours = Object.keys(require.cache).filter((k) => !before.has(k) && !k.includes("node_modules"));
const deps = new Map<string, number>();
for (const k of Object.keys(require.cache)) { if (before.has(k)) continue; const m = k.match(/node_modules\/((@[^/]+\/)?[^/]+)/); if (m) deps.set(m[1], (deps.get(m[1]) ?? 0) + 1); }
console.log(ms.toFixed(0), "ms;", ours.length, "of our files:", ours.map((k) => k.replace(/.*wt-bench\//, "")).join(" "));
console.log([...deps].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}:${v}`).join(" "));
