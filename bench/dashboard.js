// The reference for the dashboard figure: the same 30 panels as Sightline's bench dashboard,
// fetched from the same gateway with the same token, parsed with JSON.parse + parseFloat and
// drawn by uPlot at the size of Sightline's canvases. Times are from navigation start, like
// Sightline's `sightline:chart-painted:*` marks.
//
// The dashboard comes from the library entry `cargo xtask bench` stored in localStorage, the
// token from the session Sightline's sign-in stored in sessionStorage (same origin, same tab).

import uPlot from "/uplot/uPlot.esm.js";
import { COLORS } from "./data.js";

// When this module started running: the counterpart of the app's `sightline:main` mark, read by
// the request timeline in xtask/src/bench/app.rs.
performance.mark("bench:script-start");

const params = new URLSearchParams(location.search);
const width = Number(params.get("w") || 440);
const height = Number(params.get("h") || 180);
const grid = document.getElementById("grid");
grid.style.display = "flex";
grid.style.flexWrap = "wrap";
grid.style.gap = "8px";

function flush(canvas) {
  canvas.getContext("2d").getImageData(0, 0, 1, 1);
}

function columns(text) {
  const result = JSON.parse(text).data.result;
  const times = result.length ? result[0].values.map((p) => p[0]) : [];
  const series = result.map((s) => {
    const values = new Float64Array(s.values.length);
    for (let i = 0; i < s.values.length; i++) values[i] = parseFloat(s.values[i][1]);
    return values;
  });
  return [Float64Array.from(times), ...series];
}

async function main() {
  const entry = JSON.parse(localStorage.getItem("sightline.dashboard.bench-30"));
  const dashboard = JSON.parse(entry.text);
  const token = sessionStorage.getItem("sightline.token");
  const profile = JSON.parse(sessionStorage.getItem("sightline.profile"));
  const base = profile.metrics;
  const end = Math.floor(Date.now() / 1000);
  const start = end - 250 * 60;
  const step = 15;
  const painted = [];
  await Promise.all(
    dashboard.panels.map(async (panel) => {
      const box = document.createElement("div");
      grid.appendChild(box);
      const query = new URLSearchParams({ query: panel.targets[0].expr, start, end, step });
      const response = await fetch(`${base}/api/v1/query_range?${query}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const data = columns(await response.text());
      const u = new uPlot(
        {
          width,
          height,
          legend: { show: false },
          series: [{}, ...data.slice(1).map((_, i) => ({ stroke: COLORS[i % COLORS.length], width: 1 }))],
        },
        data,
        box,
      );
      await new Promise((resolve) => queueMicrotask(resolve));
      flush(u.ctx.canvas);
      painted.push(performance.now());
    }),
  );
  painted.sort((a, b) => a - b);
  window.benchResult = { first: painted[0], all: painted[painted.length - 1], panels: painted.length };
}

main().catch((error) => {
  console.error(error);
  window.benchError = String(error && error.stack ? error.stack : error);
});
