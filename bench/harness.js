// The benchmark page: runs one figure (`?figure=NAME&runs=N`), Sightline and its reference
// alternately in this same page, and leaves the raw timings in `window.benchResult` for
// `cargo xtask bench` (which reads them over WebDriver and takes the medians).
//
// Sightline's code comes from `/wasm/sightline_bench.js` (the `bench/wasm` crate: the app's chart
// painting, decoder and log list, release profile); uPlot from `/uplot/` (npm `uplot@1.6.32`).

import init, * as sightline from "/wasm/sightline_bench.js";
import uPlot from "/uplot/uPlot.esm.js";
import { countCanvasCalls } from "./count.js";
import { COLORS, flatten, logLines, sixHundredSeries, uplotBenchData, walks } from "./data.js";

const params = new URLSearchParams(location.search);
const stage = document.getElementById("stage");

/** Makes the canvas rasterise everything recorded so far (a 1-pixel read-back). */
function flush(canvas) {
  canvas.getContext("2d").getImageData(0, 0, 1, 1);
}

/** A macrotask (MessageChannel: no 4 ms timer clamp), after which every microtask has run. */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

function frame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function newCanvas(width, height) {
  const canvas = document.createElement("canvas");
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.style.display = "block";
  stage.appendChild(canvas);
  return canvas;
}

function uplotOptions(data, width, height, timeScale = true) {
  return {
    width,
    height,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: timeScale } },
    series: [{}, ...data.series.map((_, i) => ({ stroke: COLORS[i % COLORS.length], width: 1 }))],
  };
}

function uplotData(data) {
  return [data.times, ...data.series];
}

/** Loads `data` into Sightline (untimed); times in seconds become milliseconds. */
function loadSightline(data) {
  const ms = new Float64Array(data.times.length);
  data.times.forEach((t, i) => (ms[i] = t * 1000));
  return sightline.load_series(ms, flatten(data), data.series.length);
}

/** Runs each function `runs` times, rotating which goes first; returns their times. */
async function alternate(runs, ...fns) {
  const times = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (i + k) % fns.length;
      await nextTask();
      times[j].push(await fns[j]());
    }
  }
  return times;
}

async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

// --- figures ---------------------------------------------------------------------------------

const REDRAW = { series: 100, points: 2000, width: 1200, height: 400 };

async function chartRedraw(runs) {
  const data = walks(REDRAW.series, REDRAW.points, 7);
  loadSightline(data);
  const ours = newCanvas(REDRAW.width, REDRAW.height);
  const u = new uPlot(uplotOptions(data, REDRAW.width, REDRAW.height), uplotData(data), stage);
  await nextTask();
  const viaPlotters = newCanvas(REDRAW.width, REDRAW.height);
  const viaSvg = newCanvas(REDRAW.width, REDRAW.height);
  // Warm everything up (JIT, caches) before timing.
  for (let i = 0; i < 3; i++) {
    sightline.paint_chart(ours, REDRAW.width, REDRAW.height);
    flush(ours);
    sightline.paint_chart_via(viaPlotters, REDRAW.width, REDRAW.height, "plotters");
    flush(viaPlotters);
    sightline.paint_chart_via(viaSvg, REDRAW.width, REDRAW.height, "svg");
    flush(viaSvg);
    u.batch(() => u.redraw(true, true));
    flush(u.ctx.canvas);
  }
  const [s, r, p, v] = await alternate(
    runs,
    () => timed(() => { sightline.paint_chart(ours, REDRAW.width, REDRAW.height); flush(ours); }),
    () => timed(() => { u.batch(() => u.redraw(true, true)); flush(u.ctx.canvas); }),
    () => timed(() => { sightline.paint_chart_via(viaPlotters, REDRAW.width, REDRAW.height, "plotters"); flush(viaPlotters); }),
    () => timed(() => { sightline.paint_chart_via(viaSvg, REDRAW.width, REDRAW.height, "svg"); flush(viaSvg); }),
  );
  return {
    sightline: s,
    reference: r,
    extra: { canvas: `${REDRAW.width}x${REDRAW.height}`, plotters_only: p, svg_path2d: v },
  };
}

async function canvasCalls() {
  const data = walks(REDRAW.series, REDRAW.points, 7);
  loadSightline(data);
  const ours = newCanvas(REDRAW.width, REDRAW.height);
  const u = new uPlot(uplotOptions(data, REDRAW.width, REDRAW.height), uplotData(data), stage);
  await nextTask();
  sightline.paint_chart(ours, REDRAW.width, REDRAW.height);
  const s = await countCanvasCalls(() => sightline.paint_chart(ours, REDRAW.width, REDRAW.height));
  const p = await countCanvasCalls(() => sightline.paint_chart_via(ours, REDRAW.width, REDRAW.height, "plotters"));
  const r = await countCanvasCalls(() => u.batch(() => u.redraw(true, true)));
  const bound = 4 * REDRAW.width * REDRAW.series;
  return {
    sightline: [s.total],
    reference: [bound],
    extra: {
      uplot_calls: r.total,
      plotters_only_calls: p.total,
      sightline_by_name: s.byName,
      uplot_by_name: r.byName,
    },
  };
}

/** A chart made from nothing, drawn, rasterised and removed: Sightline vs `new uPlot`. */
async function coldRender(runs, data, width, height, timeScale) {
  const flat = flatten(data);
  const ms = new Float64Array(data.times.length);
  data.times.forEach((t, i) => (ms[i] = t * 1000));
  const opts = uplotOptions(data, width, height, timeScale);
  const udata = uplotData(data);
  const ours = async () => {
    const start = performance.now();
    const canvas = newCanvas(width, height);
    sightline.load_series(ms, flat, data.series.length);
    sightline.paint_chart(canvas, width, height);
    flush(canvas);
    const t = performance.now() - start;
    canvas.remove();
    return t;
  };
  const theirs = async () => {
    const start = performance.now();
    const u = new uPlot(opts, udata, stage);
    await new Promise((resolve) => queueMicrotask(resolve));
    flush(u.ctx.canvas);
    const t = performance.now() - start;
    u.destroy();
    return t;
  };
  await ours();
  await theirs();
  const [s, r] = await alternate(runs, ours, theirs);
  return { sightline: s, reference: r, extra: { canvas: `${width}x${height}` } };
}

async function decode(runs) {
  const size = params.get("size") || "5mb";
  const response = await fetch(`/data/query_range_${size}.json`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  const js = () => {
    const parsed = JSON.parse(text);
    let samples = 0;
    for (const s of parsed.data.result) {
      const n = s.values.length;
      const times = new Float64Array(n);
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const pair = s.values[i];
        times[i] = pair[0] * 1000;
        values[i] = parseFloat(pair[1]);
      }
      samples += values.length;
    }
    return samples;
  };
  const ours = () => sightline.decode_query_range(bytes);
  const expected = js();
  const got = ours();
  if (got !== expected) throw new Error(`Sightline decoded ${got} samples, JSON.parse ${expected}`);
  ours();
  js();
  const [s, r] = await alternate(runs, () => timed(ours), () => timed(js));
  return { sightline: s, reference: r, extra: { bytes: bytes.length, samples: expected } };
}

const LOG = { count: 5000, height: 600 };

function plainRows(container, lines, times) {
  const list = document.createElement("div");
  list.className = "log-scroll";
  list.style.height = `${LOG.height}px`;
  const rows = document.createElement("div");
  rows.className = "log-rows";
  for (let i = 0; i < lines.length; i++) {
    const row = document.createElement("div");
    row.className = "log-row";
    const main = document.createElement("div");
    main.className = "log-main";
    const level = document.createElement("span");
    level.className = "log-level level-info";
    const time = document.createElement("span");
    time.className = "log-time";
    time.textContent = new Date(times[i]).toISOString().replace("T", " ").replace("Z", "");
    const line = document.createElement("span");
    line.className = "log-line";
    line.textContent = lines[i];
    main.append(level, time, line);
    row.append(main);
    rows.append(row);
  }
  list.append(rows);
  container.append(list);
  return list;
}

async function logs(runs) {
  const { lines, times } = logLines(LOG.count);
  sightline.load_log_lines(lines, times);
  const ours = newBox();
  const theirs = newBox();
  const renderOurs = async () => {
    const start = performance.now();
    sightline.mount_log_list(ours, LOG.height);
    await nextTask();
    ours.getBoundingClientRect();
    const rowsDrawn = ours.querySelectorAll(".log-row").length;
    const t = performance.now() - start;
    if (rowsDrawn === 0) throw new Error("the log list drew no rows");
    return t;
  };
  const renderTheirs = async () => {
    theirs.replaceChildren();
    const start = performance.now();
    plainRows(theirs, lines, times);
    await nextTask();
    theirs.getBoundingClientRect();
    return performance.now() - start;
  };
  await renderOurs();
  await renderTheirs();
  const [s, r] = await alternate(runs, renderOurs, renderTheirs);
  theirs.replaceChildren();

  // Scroll Sightline's list to the end, counting the rows alive in the DOM at each step.
  await renderOurs();
  await frame();
  const scroller = ours.querySelector(".log-scroll");
  let maxRows = 0;
  let lastRowShown = false;
  for (let step = 0; step < 400; step++) {
    scroller.scrollTop += LOG.height * 0.9;
    await frame();
    await frame();
    const alive = scroller.querySelectorAll(".log-row");
    maxRows = Math.max(maxRows, alive.length);
    if ([...alive].some((row) => row.getAttribute("data-row-id") === String(LOG.count - 1))) {
      lastRowShown = true;
      break;
    }
  }
  sightline.unmount_log_list();
  return {
    sightline: s,
    reference: r,
    extra: { max_rows_alive: maxRows, reached_last_row: lastRowShown, lines: LOG.count },
  };
}

function newBox() {
  const box = document.createElement("div");
  box.style.width = "1200px";
  stage.appendChild(box);
  return box;
}

// --- run -------------------------------------------------------------------------------------

const FIGURES = {
  "chart-redraw": (runs) => chartRedraw(runs),
  "canvas-calls": () => canvasCalls(),
  "cold-3x55k": (runs) => coldRender(runs, uplotBenchData(), 1920, 600, true),
  "render-600x8000": (runs) => coldRender(runs, sixHundredSeries(), 1920, 5000, false),
  decode: (runs) => decode(runs),
  logs: (runs) => logs(runs),
};

async function main() {
  const name = params.get("figure");
  const runs = Number(params.get("runs") || 7);
  const figure = FIGURES[name];
  if (!figure) throw new Error(`unknown figure ${name}`);
  await init();
  const result = await figure(runs);
  window.benchResult = { figure: name, ...result };
}

main().catch((error) => {
  console.error(error);
  window.benchError = String(error && error.stack ? error.stack : error);
});
