// Counting canvas calls: every method call and property write on a 2D context, and every call
// on a Path2D (uPlot builds its lines as Path2D objects), while `fn` runs. The prototypes are
// wrapped only for the count and restored afterwards, so timed runs are not slowed down.

const TARGETS = () => [
  globalThis.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype,
  globalThis.Path2D && Path2D.prototype,
].filter(Boolean);

/**
 * Runs `fn` with counting wrappers installed; returns `{total, byName}` for what it called.
 * `fn` may return a promise.
 */
export async function countCanvasCalls(fn) {
  const byName = Object.create(null);
  const restore = [];
  for (const proto of TARGETS()) {
    const kind = proto === (globalThis.Path2D && Path2D.prototype) ? "Path2D" : "ctx";
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === "constructor") continue;
      const desc = Object.getOwnPropertyDescriptor(proto, key);
      if (!desc || !desc.configurable) continue;
      const name = `${kind}.${key}`;
      if (typeof desc.value === "function") {
        const original = desc.value;
        Object.defineProperty(proto, key, {
          ...desc,
          value: function (...args) {
            byName[name] = (byName[name] || 0) + 1;
            return original.apply(this, args);
          },
        });
        restore.push(() => Object.defineProperty(proto, key, desc));
      } else if (desc.set) {
        const originalSet = desc.set;
        Object.defineProperty(proto, key, {
          ...desc,
          set: function (value) {
            byName[`${name}=`] = (byName[`${name}=`] || 0) + 1;
            return originalSet.call(this, value);
          },
        });
        restore.push(() => Object.defineProperty(proto, key, desc));
      }
    }
  }
  try {
    await fn();
  } finally {
    restore.forEach((undo) => undo());
  }
  const total = Object.values(byName).reduce((a, b) => a + b, 0);
  return { total, byName };
}
