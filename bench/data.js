// Deterministic data for the benchmark: the same arrays go to Sightline and to uPlot.

/** A seeded PRNG (mulberry32), so every run draws the same data. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A chart's data: `times` in seconds (uPlot's x) and one Float64Array per series.
 * @typedef {{times: Float64Array, series: Float64Array[]}} ChartData
 */

/** `count` random walks of `points` samples 15 s apart (a dashboard's GPU series). */
export function walks(count, points, seed = 1) {
  const random = rng(seed);
  const start = 1_763_900_000;
  const times = new Float64Array(points);
  for (let i = 0; i < points; i++) times[i] = start + i * 15;
  const series = [];
  for (let s = 0; s < count; s++) {
    const values = new Float64Array(points);
    let v = 20 + random() * 60;
    for (let i = 0; i < points; i++) {
      v += (random() - 0.5) * 6;
      if (v < 0) v = -v;
      if (v > 100) v = 200 - v;
      values[i] = Math.round(v * 100) / 100;
    }
    series.push(values);
  }
  return { times, series };
}

/**
 * The shape of uPlot's own benchmark data (bench/uPlot.html: a server's CPU %, RAM % and TCP out
 * in MB, one sample a minute, 3 series × 55,550 points = 166,650). The original data.json is not
 * in the npm package, so a seeded generator makes data of the same size, step and character.
 */
export function uplotBenchData() {
  const random = rng(55_550);
  const n = 55_550;
  const times = new Float64Array(n);
  const cpu = new Float64Array(n);
  const ram = new Float64Array(n);
  const tcp = new Float64Array(n);
  let load = 20;
  let used = 45;
  for (let i = 0; i < n; i++) {
    times[i] = 1_566_453_600 + i * 60;
    load += (random() - 0.5) * 8;
    load = Math.min(100, Math.max(0, load));
    const busy = random() < 0.01 ? 60 * random() : 0;
    cpu[i] = Math.round(Math.min(100, load + busy) * 1000) / 1000;
    used += (random() - 0.5) * 0.4;
    used = Math.min(90, Math.max(10, used));
    ram[i] = Math.round(used * 100) / 100;
    tcp[i] = Math.round((random() < 0.05 ? 40 * random() : 2 * random()) * 100) / 100;
  }
  return { times, series: [cpu, ram, tcp] };
}

/** uPlot's 600-series benchmark (bench/uPlot-600-series.html), seeded: x is the index. */
export function sixHundredSeries() {
  const random = rng(600);
  const n = 8000;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = i;
  const series = [];
  for (let s = 0; s < 600; s++) {
    const values = new Float64Array(n);
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < n; i++) {
      if (i % 100 === 0) a = 2 * random();
      if (i % 1000 === 0) b = 2 * random();
      if (i % 10000 === 0) c = 2 * random();
      const spike = i % 50000 === 0 ? 10 : 0;
      values[i] = s + 2 * Math.sin(i / 100) + a + b + c + spike + random();
    }
    series.push(values);
  }
  return { times, series };
}

/** `count` log lines, newest first, with millisecond timestamps: JSON, logfmt and plain text. */
export function logLines(count) {
  const random = rng(5000);
  const levels = ["info", "info", "info", "warn", "error", "debug"];
  const paths = ["/api/v1/query_range", "/api/v1/series", "/loki/api/v1/query_range", "/healthz"];
  const lines = [];
  const times = new Float64Array(count);
  const start = 1_763_900_000_000;
  for (let i = 0; i < count; i++) {
    times[i] = start - i * 137;
    const level = levels[Math.floor(random() * levels.length)];
    const path = paths[Math.floor(random() * paths.length)];
    const ms = Math.floor(random() * 900);
    switch (i % 3) {
      case 0:
        lines.push(`{"level":"${level}","msg":"GET ${path} 200","duration_ms":${ms},"trace_id":"${(i * 7919).toString(16).padStart(16, "0")}"}`);
        break;
      case 1:
        lines.push(`level=${level} ts=${new Date(times[i]).toISOString()} caller=handler.go:${100 + (i % 400)} msg="served ${path}" status=200 duration=${ms}ms`);
        break;
      default:
        lines.push(`${level.toUpperCase()} gpu-node-${String(i % 16).padStart(4, "0")} nvidia${i % 8}: XID check passed in ${ms} ms (${path})`);
    }
  }
  return { lines, times };
}

/** Sightline's palette order is its own; uPlot gets one colour per series from this list. */
export const COLORS = [
  "#7eb26d", "#eab839", "#6ed0e0", "#ef843c", "#e24d42", "#1f78c1", "#ba43a9", "#705da0",
  "#508642", "#cca300", "#447ebc", "#c15c17", "#890f02", "#0a437c", "#6d1f62", "#584477",
];

/** The same series as one flat Float64Array (what `load_series` takes). */
export function flatten(data) {
  const n = data.times.length;
  const flat = new Float64Array(n * data.series.length);
  data.series.forEach((values, i) => flat.set(values, i * n));
  return flat;
}
