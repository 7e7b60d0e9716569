// Early queries. On a full load of a page this browser loaded before, this sends the requests
// the page sent then (kept by the app in localStorage under "sightline.early", without the
// token), moved to the current time, while the app itself is still starting: `cargo xtask
// build` puts this code in the loader, right after the main module starts to compile (on other
// threads), so it neither waits for the app nor holds up its download. The app takes
// an answer when it asks for the very same URL and body (src/client/early.rs) and sends its own
// request otherwise; answers nobody took are aborted after 15 s. The rules (which requests are
// kept, how their times move) are Rust's, tested in crates/core/src/api/early.rs; `fill` below is
// the line-for-line twin of `EarlyRequest::filled`, and `keyOf` of `answer_key`.
//
// The token leaves this tab only for URLs the app built from the very profile the tab is signed
// in with: a plan recorded under another profile is not sent, and a URL outside that profile's
// metrics host is skipped (the app only keeps metrics requests).
(() => {
  const MAX_AGE_MS = 15000;
  // Requests on the server at once, the app's own cap (DEFAULT_MAX_IN_FLIGHT in
  // src/state/dashboard/limiter.rs): a repeat visit of a big dashboard on an HTTP/2 host (where
  // the browser sets no cap) must not put 64 queries on it at once.
  const MAX_IN_FLIGHT = 16;
  // A slow start: two requests at first, and two more places with every answer. The first
  // answers then come back while the app is still starting (Prometheus answers two queries
  // sooner than sixteen at once, and leaves the app's compile a core), and each answer sends at
  // most three fetches (a form POST costs the main thread about a millisecond each).
  const FIRST_IN_FLIGHT = 2;
  const FROM_MARK = "__SIGHTLINE_FROM__";
  const TO_MARK = "__SIGHTLINE_TO__";
  const ACCEPT = "application/json, text/plain;q=0.9, */*;q=0.1";

  const floorTo = (ms, step) => (step > 0 ? ms - (((ms % step) + step) % step) : ms);
  const secondsText = (ms) => {
    if (ms < 0) return "-" + secondsText(-ms);
    const secs = Math.floor(ms / 1000);
    const frac = ms % 1000;
    return frac === 0 ? String(secs) : `${secs}.${String(frac).padStart(3, "0")}`.replace(/0+$/, "");
  };
  const fill = (template, request, now) => {
    const from = floorTo(now - request.from_lag_ms, request.align_ms);
    const to = floorTo(now - request.to_lag_ms, request.align_ms);
    return template.replace(FROM_MARK, secondsText(from)).replace(TO_MARK, secondsText(to));
  };
  const keyOf = (url, body) => (body === null ? url : `${url}\n${body}`);

  try {
    const page = location.pathname + location.search;
    const token = sessionStorage.getItem("sightline.token");
    const profile = sessionStorage.getItem("sightline.profile");
    const book = JSON.parse(localStorage.getItem("sightline.early") || "null");
    const plan = book && Array.isArray(book.pages) ? book.pages.find((p) => p.page === page) : null;
    if (!token || !profile || !plan || plan.profile !== profile || !Array.isArray(plan.requests)) return;
    const metrics = JSON.parse(profile).metrics;
    if (typeof metrics !== "string" || metrics === "") return;
    const host = metrics.replace(/\/+$/, "") + "/";
    // A host that refused a POSTed query in this tab (src/client/post.rs) is not sent forms.
    const refused = JSON.parse(sessionStorage.getItem("sightline.post-refused") || "[]");
    const postRefused = Array.isArray(refused) && refused.some((base) => host === base.replace(/\/+$/, "") + "/");
    const now = Date.now();
    const requests = new Map();
    // Fetches wait in order for one of `cap` places; a place frees when the server has
    // answered (its headers: Prometheus computes the whole answer before it sends them), in a
    // task of its own, after the app has had the answer.
    const waiting = [];
    let inFlight = 0;
    let cap = FIRST_IN_FLIGHT;
    // The next task, by a message rather than `setTimeout`, which a hidden tab delays to once a
    // second (a dashboard opened in the background would fill its places a second at a time).
    const freed = [];
    const release = new MessageChannel();
    release.port1.onmessage = () => freed.shift()();
    const inNextTask = (fn) => {
      freed.push(fn);
      release.port2.postMessage(null);
    };
    const next = () => {
      while (inFlight < cap && waiting.length > 0) waiting.shift()();
    };
    for (const request of plan.requests.slice(0, 64)) {
      const wellFormed = request && typeof request.url === "string" &&
        (request.body === undefined || typeof request.body === "string") &&
        [request.from_lag_ms, request.to_lag_ms, request.align_ms].every(Number.isFinite);
      if (!wellFormed) continue;
      const url = fill(request.url, request, now);
      const body = request.body === undefined ? null : fill(request.body, request, now);
      const key = keyOf(url, body);
      if (!url.startsWith(host) || requests.has(key) || (body !== null && postRefused)) continue;
      const controller = new AbortController();
      const headers = { Authorization: `Bearer ${token}`, Accept: ACCEPT };
      if (body !== null) headers["Content-Type"] = "application/x-www-form-urlencoded";
      const response = new Promise((resolve, reject) => {
        const aborted = () => reject(new DOMException("aborted", "AbortError"));
        controller.signal.addEventListener("abort", aborted);
        waiting.push(() => {
          if (controller.signal.aborted) return;
          inFlight += 1;
          const done = () => {
            inFlight -= 1;
            cap = Math.min(MAX_IN_FLIGHT, cap + 2);
            next();
          };
          fetch(url, {
            method: body === null ? "GET" : "POST",
            headers,
            body,
            credentials: "omit",
            referrerPolicy: "no-referrer",
            signal: controller.signal,
          }).then((r) => { resolve(r); inNextTask(done); }, (e) => { reject(e); inNextTask(done); });
        });
      });
      // An answer nobody takes is not an error anyone needs to see.
      response.catch(() => {});
      requests.set(key, { response, controller });
    }
    next();
    window.__sightlineEarly = { page, now, requests, sent: requests.size, taken: 0 };
    setTimeout(() => {
      for (const { controller } of requests.values()) controller.abort();
      requests.clear();
    }, MAX_AGE_MS);
  } catch (_) {
    // Storage disabled or a broken plan: the app sends its own requests, as on a first visit.
  }
})();
