/**
 * bp.visualize (BrainPy 2.x `brainpy.visualize`): raster_plot and line_plot, rendered as self-contained SVG documents
 * (no matplotlib, no external dependencies), plus save_svg (Node) and draw (browser).
 *
 *     bp.visualize.raster_plot(runner.mon.ts, runner.mon.spike, show=True)
 *     const svg = bp.visualize.raster_plot(ts, spikes, { show: true });   // show: true → appended to document.body
 *     await bp.visualize.save_svg('raster.svg', svg);                      // Node only
 *     bp.visualize.draw(svg, '#plot');                                       // browser: insert into an element
 *
 * Inputs: `ts` is the time of each row in ms (Tensor, typed array or array, length T); `sp_matrix` / `val_matrix` are
 * [T, N] (Tensor, nested arrays of numbers/booleans, or a 1-D array for N = 1 in line_plot).
 *
 * Size limits (so that a 4000-neuron, 10 000-step raster stays a few MB):
 *   - raster_plot draws every spike as a short vertical tick inside ONE <path> per colour (`M x y v h` commands), never
 *     one element per spike. Ticks that land on the same rounded pixel position (0.1 px) are drawn once.
 *     If more than `max_spikes` (default MAX_RASTER_SPIKES = 200 000) distinct ticks remain, they are thinned
 *     deterministically to every k-th tick (k = ceil(count / max_spikes)); the SVG then carries
 *     `data-thinned="k"` on the path and a comment saying so.
 *   - line_plot draws each trace as one <path>; when T exceeds 4 points per horizontal pixel it is reduced per pixel
 *     column to (first, min, max, last), which keeps the envelope of the trace exactly.
 */
import { Tensor } from '../core/tensor';

/** Default cap on the number of spike ticks in one raster (see the module comment). */
export const MAX_RASTER_SPIKES = 200_000;

type Numeric1D = Tensor | ArrayLike<number> | ArrayLike<boolean>;
type Numeric2D = Tensor | ArrayLike<ArrayLike<number> | ArrayLike<boolean>> | ArrayLike<number> | ArrayLike<boolean>;

/** Somewhere to draw: an element, or a CSS selector resolved with document.querySelector. */
export type DrawTarget = Element | string;

export interface RasterPlotOptions {
  /** true: append to document.body (browser; ignored in Node); an element or selector: draw into it. */
  show?: boolean | DrawTarget;
  xlim?: [number, number] | null;
  ylim?: [number, number] | null;
  xlabel?: string;
  ylabel?: string;
  title?: string | null;
  /** Tick length in px is max(markersize·2, 1) but at most the row height when rows are taller (BrainPy: marker size). */
  markersize?: number;
  /** One colour for all spikes, or one per neuron (length N). Matplotlib one-letter colours (k, r, …) are accepted. */
  color?: string | readonly string[];
  width?: number;
  height?: number;
  /** Cap on drawn spike ticks (default MAX_RASTER_SPIKES). */
  max_spikes?: number;
}

export interface LinePlotOptions {
  show?: boolean | DrawTarget;
  /** Columns to draw (default [0], as in BrainPy). */
  plot_ids?: number | readonly number[] | null;
  xlim?: [number, number] | null;
  ylim?: [number, number] | null;
  xlabel?: string;
  ylabel?: string | null;
  /** Legend prefix: each trace is labelled `${legend}-${id}` (BrainPy's convention). */
  legend?: string | null;
  title?: string | null;
  width?: number;
  height?: number;
  linewidth?: number;
}

// ---- input conversion -------------------------------------------------------------------------------------------

function fail(fn: string, msg: string): never {
  throw new Error(`bp.visualize.${fn}: ${msg}`);
}

function toVector(fn: string, name: string, x: Numeric1D): Float64Array {
  if (x instanceof Tensor) {
    if (x.ndim !== 1) fail(fn, `${name} must be 1-D, got shape [${x.shape.join(', ')}]`);
    return Float64Array.from(x.toTypedArray() as ArrayLike<number>);
  }
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number') {
    fail(fn, `${name} must be a Tensor, typed array or array of numbers`);
  }
  const a = x as ArrayLike<number | boolean>;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' && typeof v !== 'boolean') fail(fn, `${name}[${i}] is not a number`);
    out[i] = Number(v);
  }
  return out;
}

interface Matrix { T: number; N: number; data: Float64Array }

function toMatrix(fn: string, name: string, x: Numeric2D, allow1D: boolean): Matrix {
  if (x instanceof Tensor) {
    if (x.ndim === 1 && allow1D) return { T: x.shape[0], N: 1, data: Float64Array.from(x.toTypedArray() as ArrayLike<number>) };
    if (x.ndim !== 2) fail(fn, `${name} must be 2-D [T, N], got shape [${x.shape.join(', ')}]`);
    return { T: x.shape[0], N: x.shape[1], data: Float64Array.from(x.toTypedArray() as ArrayLike<number>) };
  }
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number') {
    fail(fn, `${name} must be a Tensor or a [T, N] array`);
  }
  const rows = x as ArrayLike<unknown>;
  const T = rows.length;
  if (T > 0 && (typeof rows[0] === 'number' || typeof rows[0] === 'boolean')) {
    if (!allow1D) fail(fn, `${name} must be 2-D [T, N]`);
    return { T, N: 1, data: toVector(fn, name, rows as ArrayLike<number>) };
  }
  const N = T > 0 ? (rows[0] as ArrayLike<unknown>).length : 0;
  const data = new Float64Array(T * N);
  for (let t = 0; t < T; t++) {
    const r = rows[t] as ArrayLike<number | boolean>;
    if (r === null || typeof r !== 'object' || r.length !== N) fail(fn, `${name} row ${t} must have ${N} entries`);
    for (let n = 0; n < N; n++) data[t * N + n] = Number(r[n]);
  }
  return { T, N, data };
}

// ---- formatting ---------------------------------------------------------------------------------------------------

const MPL_COLORS: Record<string, string> = {
  k: '#000000', b: '#0000ff', g: '#008000', r: '#ff0000', c: '#00bfbf', m: '#bf00bf', y: '#bfbf00', w: '#ffffff',
};
/** Matplotlib's default cycle (tab10). */
const CYCLE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function colour(c: string): string {
  return MPL_COLORS[c] ?? c;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A coordinate with at most 2 decimals, no trailing zeros. */
function num(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** "Nice" ticks (1, 2, 2.5, 5 × 10^k) covering [lo, hi], about `target` of them. */
export function nice_ticks(lo: number, hi: number, target = 6): { ticks: number[]; decimals: number } {
  if (!(hi > lo)) return { ticks: [lo], decimals: Math.max(0, -Math.floor(Math.log10(Math.abs(lo) || 1))) };
  const raw = (hi - lo) / Math.max(1, target);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = mag;
  for (const m of [1, 2, 2.5, 5, 10]) {
    step = m * mag;
    if (step >= raw) break;
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (step / mag === 2.5 ? 1 : 0));
  const ticks: number[] = [];
  const eps = step * 1e-9;
  for (let k = Math.ceil((lo - eps) / step); k * step <= hi + eps; k++) ticks.push(Number((k * step).toFixed(decimals)));
  return { ticks, decimals };
}

function checkLim(fn: string, name: string, lim: [number, number] | null | undefined): [number, number] | null {
  if (lim === undefined || lim === null) return null;
  if (!Array.isArray(lim) || lim.length !== 2 || !Number.isFinite(lim[0]) || !Number.isFinite(lim[1]) || !(lim[1] > lim[0])) {
    fail(fn, `${name} must be [lo, hi] with finite lo < hi`);
  }
  return [lim[0], lim[1]];
}

function checkSize(fn: string, name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < 100 || v > 20000) fail(fn, `${name} must be a number of pixels in [100, 20000]`);
  return v;
}

/** Widen a degenerate data range so that the axes have extent. */
function padRange(lo: number, hi: number): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi > lo) return [lo, hi];
  const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 0.5;
  return [lo - d, hi + d];
}

let clipCounter = 0;

interface Frame {
  width: number; height: number;
  left: number; right: number; top: number; bottom: number;
  xlim: [number, number]; ylim: [number, number];
  sx: (x: number) => number; sy: (y: number) => number;
  clipId: string;
}

function makeFrame(width: number, height: number, xlim: [number, number], ylim: [number, number], hasTitle: boolean): Frame {
  const left = 70, right = 20, top = hasTitle ? 36 : 16, bottom = 50;
  const pw = width - left - right, ph = height - top - bottom;
  const sx = (x: number): number => left + ((x - xlim[0]) / (xlim[1] - xlim[0])) * pw;
  const sy = (y: number): number => top + ph - ((y - ylim[0]) / (ylim[1] - ylim[0])) * ph;
  return { width, height, left, right, top, bottom, xlim, ylim, sx, sy, clipId: `spikeport-clip-${++clipCounter}` };
}

/** Document head, background, clip path, axes box, ticks, tick labels, axis labels and title. */
function axes(f: Frame, xlabel: string, ylabel: string, title: string | null): { head: string; tail: string } {
  const pw = f.width - f.left - f.right, ph = f.height - f.top - f.bottom;
  const x0 = f.left, y0 = f.top + ph, y1 = f.top;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${f.width}" height="${f.height}" fill="#ffffff"/>`);
  out.push(`<defs><clipPath id="${f.clipId}"><rect x="${num(x0)}" y="${num(y1)}" width="${num(pw)}" height="${num(ph)}"/></clipPath></defs>`);
  const xt = nice_ticks(f.xlim[0], f.xlim[1], Math.max(2, Math.round(pw / 90)));
  const yt = nice_ticks(f.ylim[0], f.ylim[1], Math.max(2, Math.round(ph / 60)));
  let tickPath = '';
  const labels: string[] = [];
  for (const t of xt.ticks) {
    const x = f.sx(t);
    tickPath += `M${num(x)} ${num(y0)}v5`;
    labels.push(`<text class="xtick" x="${num(x)}" y="${num(y0 + 18)}" text-anchor="middle">${esc(t.toFixed(xt.decimals))}</text>`);
  }
  for (const t of yt.ticks) {
    const y = f.sy(t);
    tickPath += `M${num(x0)} ${num(y)}h-5`;
    labels.push(`<text class="ytick" x="${num(x0 - 8)}" y="${num(y + 4)}" text-anchor="end">${esc(t.toFixed(yt.decimals))}</text>`);
  }
  const head = out.join('\n');
  const tail: string[] = [];
  tail.push(`<g class="axes" data-xlim="${f.xlim[0]},${f.xlim[1]}" data-ylim="${f.ylim[0]},${f.ylim[1]}">`);
  tail.push(`<rect x="${num(x0)}" y="${num(y1)}" width="${num(pw)}" height="${num(ph)}" fill="none" stroke="#000000" stroke-width="1"/>`);
  tail.push(`<path class="ticks" d="${tickPath}" stroke="#000000" stroke-width="1" fill="none"/>`);
  tail.push(...labels);
  if (xlabel) tail.push(`<text class="xlabel" x="${num(x0 + pw / 2)}" y="${num(f.height - 10)}" text-anchor="middle">${esc(xlabel)}</text>`);
  if (ylabel) tail.push(`<text class="ylabel" x="16" y="${num(y1 + ph / 2)}" text-anchor="middle" transform="rotate(-90 16 ${num(y1 + ph / 2)})">${esc(ylabel)}</text>`);
  if (title) tail.push(`<text class="title" x="${num(x0 + pw / 2)}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  tail.push('</g>');
  return { head, tail: tail.join('\n') + '\n</svg>\n' };
}

// ---- raster_plot --------------------------------------------------------------------------------------------------

/**
 * BrainPy's `raster_plot(ts, sp_matrix, ax=None, marker='.', markersize=2, color='k', xlabel='Time (ms)',
 * ylabel='Neuron index', xlim=None, ylim=None, title=None, show=False)`: a dot (here: a short tick) at
 * (ts[t], n) for every nonzero sp_matrix[t, n]. Returns the SVG document as a string.
 */
export function raster_plot(ts: Numeric1D, sp_matrix: Numeric2D, options: RasterPlotOptions = {}): string {
  const fn = 'raster_plot';
  const o = options ?? {};
  const times = toVector(fn, 'ts', ts);
  const sp = toMatrix(fn, 'sp_matrix', sp_matrix, false);
  if (times.length !== sp.T) fail(fn, `ts has ${times.length} entries but sp_matrix has ${sp.T} rows`);
  const width = checkSize(fn, 'width', o.width, 800);
  const height = checkSize(fn, 'height', o.height, 500);
  const markersize = o.markersize ?? 2;
  if (!Number.isFinite(markersize) || markersize <= 0) fail(fn, 'markersize must be a positive number');
  const maxSpikes = o.max_spikes ?? MAX_RASTER_SPIKES;
  if (!Number.isInteger(maxSpikes) || maxSpikes < 1) fail(fn, 'max_spikes must be a positive integer');
  const colorOpt = o.color ?? 'k';
  let colours: (n: number) => string;
  if (typeof colorOpt === 'string') {
    const c = colour(colorOpt);
    colours = () => c;
  } else if (Array.isArray(colorOpt) && colorOpt.length === sp.N && colorOpt.every((c) => typeof c === 'string')) {
    const cs = colorOpt.map(colour);
    colours = (n) => cs[n];
  } else {
    fail(fn, `color must be a colour string or an array of ${sp.N} colour strings (one per neuron)`);
  }

  let tmin = Infinity, tmax = -Infinity;
  for (const t of times) { if (t < tmin) tmin = t; if (t > tmax) tmax = t; }
  const xlim = checkLim(fn, 'xlim', o.xlim) ?? padRange(tmin, tmax);
  const ylim = checkLim(fn, 'ylim', o.ylim) ?? padRange(-0.5, sp.N - 0.5);
  const title = o.title ?? null;
  const f = makeFrame(width, height, xlim, ylim, !!title);
  const ph = height - f.top - f.bottom;
  const rowPx = ph / (ylim[1] - ylim[0]);
  const tick = Math.max(Math.min(Math.max(markersize * 2, 1), Math.max(rowPx, 1)), 0.5);

  // collect ticks per colour, de-duplicated on a 0.1-px grid, skipping those outside the limits
  const groups = new Map<string, { seen: Set<number>; xs: number[]; ys: number[] }>();
  let total = 0;
  const { T, N, data } = sp;
  for (let t = 0; t < T; t++) {
    const tt = times[t];
    if (tt < xlim[0] || tt > xlim[1]) continue;
    const xr = Math.round(f.sx(tt) * 10);
    const base = t * N;
    for (let n = 0; n < N; n++) {
      const v = data[base + n];
      if (v === 0 || Number.isNaN(v)) continue;
      if (n < ylim[0] || n > ylim[1]) continue;
      const c = colours(n);
      let g = groups.get(c);
      if (!g) { g = { seen: new Set(), xs: [], ys: [] }; groups.set(c, g); }
      const yr = Math.round(f.sy(n) * 10);
      const key = xr * 1e6 + yr;
      if (g.seen.has(key)) continue;
      g.seen.add(key);
      g.xs.push(xr / 10);
      g.ys.push(yr / 10);
      total++;
    }
  }
  const stride = total > maxSpikes ? Math.ceil(total / maxSpikes) : 1;

  const { head, tail } = axes(f, o.xlabel ?? 'Time (ms)', o.ylabel ?? 'Neuron index', title);
  const body: string[] = [`<g class="data" clip-path="url(#${f.clipId})">`];
  if (stride > 1) body.push(`<!-- ${total} spike ticks thinned to every ${stride}-th (max_spikes = ${maxSpikes}) -->`);
  let drawn = 0;
  for (const [c, g] of groups) {
    const parts: string[] = [];
    const half = tick / 2;
    for (let i = 0; i < g.xs.length; i += stride) {
      parts.push(`M${num(g.xs[i])} ${num(g.ys[i] - half)}v${num(tick)}`);
    }
    drawn += parts.length;
    body.push(`<path class="spikes" data-count="${parts.length}"${stride > 1 ? ` data-thinned="${stride}"` : ''} stroke="${esc(c)}" stroke-width="${num(Math.max(0.6, Math.min(markersize * 0.75, 2)))}" fill="none" d="${parts.join('')}"/>`);
  }
  body.push('</g>');
  const svg = `${head}\n<!-- spikeport raster_plot: ${drawn} spike ticks drawn -->\n${body.join('\n')}\n${tail}`;
  maybeShow(svg, o.show);
  return svg;
}

// ---- line_plot ----------------------------------------------------------------------------------------------------

/**
 * BrainPy's `line_plot(ts, val_matrix, plot_ids=None, ax=None, xlim=None, ylim=None, xlabel='Time (ms)', ylabel=None,
 * legend=None, title=None, show=False)`: one line per column in plot_ids (default [0]). Returns the SVG string.
 */
export function line_plot(ts: Numeric1D, val_matrix: Numeric2D, options: LinePlotOptions = {}): string {
  const fn = 'line_plot';
  const o = options ?? {};
  const times = toVector(fn, 'ts', ts);
  const m = toMatrix(fn, 'val_matrix', val_matrix, true);
  if (times.length !== m.T) fail(fn, `ts has ${times.length} entries but val_matrix has ${m.T} rows`);
  const width = checkSize(fn, 'width', o.width, 800);
  const height = checkSize(fn, 'height', o.height, 500);
  const lw = o.linewidth ?? 1.5;
  if (!Number.isFinite(lw) || lw <= 0) fail(fn, 'linewidth must be a positive number');
  let ids: number[];
  if (o.plot_ids === undefined || o.plot_ids === null) ids = [0];
  else if (typeof o.plot_ids === 'number') ids = [o.plot_ids];
  else ids = Array.from(o.plot_ids);
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= m.N) fail(fn, `plot_ids entry ${id} is not a column index in [0, ${m.N})`);
  }

  let tmin = Infinity, tmax = -Infinity, vmin = Infinity, vmax = -Infinity;
  for (const t of times) { if (t < tmin) tmin = t; if (t > tmax) tmax = t; }
  for (const id of ids) {
    for (let t = 0; t < m.T; t++) {
      const v = m.data[t * m.N + id];
      if (!Number.isFinite(v)) continue;
      if (v < vmin) vmin = v;
      if (v > vmax) vmax = v;
    }
  }
  const xlim = checkLim(fn, 'xlim', o.xlim) ?? padRange(tmin, tmax);
  let ylim = checkLim(fn, 'ylim', o.ylim);
  if (!ylim) {
    const [lo, hi] = padRange(vmin, vmax);
    const pad = (hi - lo) * 0.05; // matplotlib's default 5% margin
    ylim = [lo - pad, hi + pad];
  }
  const title = o.title ?? null;
  const f = makeFrame(width, height, xlim, ylim, !!title);
  const pw = width - f.left - f.right;
  const { head, tail } = axes(f, o.xlabel ?? 'Time (ms)', o.ylabel ?? '', title);

  const body: string[] = [`<g class="data" clip-path="url(#${f.clipId})">`];
  const decimate = m.T > 4 * pw;
  ids.forEach((id, k) => {
    const c = CYCLE[k % CYCLE.length];
    const d = tracePath(times, m, id, f, decimate);
    body.push(`<path class="line" data-id="${id}" stroke="${c}" stroke-width="${num(lw)}" fill="none" stroke-linejoin="round" d="${d}"/>`);
  });
  body.push('</g>');
  if (o.legend !== undefined && o.legend !== null) {
    const x = width - f.right - 10, y = f.top + 10;
    const rowH = 18;
    const labels = ids.map((id) => `${o.legend}-${id}`);
    const boxW = 40 + 7.5 * Math.max(...labels.map((s) => s.length));
    body.push(`<g class="legend"><rect x="${num(x - boxW)}" y="${num(y)}" width="${num(boxW)}" height="${num(rowH * ids.length + 8)}" fill="#ffffff" fill-opacity="0.8" stroke="#cccccc"/>`);
    labels.forEach((s, k) => {
      const yy = y + 4 + rowH * k + rowH / 2;
      body.push(`<path d="M${num(x - boxW + 6)} ${num(yy)}h20" stroke="${CYCLE[k % CYCLE.length]}" stroke-width="${num(lw)}"/><text x="${num(x - boxW + 32)}" y="${num(yy + 4)}">${esc(s)}</text>`);
    });
    body.push('</g>');
  }
  const svg = `${head}\n${body.join('\n')}\n${tail}`;
  maybeShow(svg, o.show);
  return svg;
}

/** One trace as path data; NaN/±Inf break the line. With `decimate`, per pixel column: first, min, max, last. */
function tracePath(times: Float64Array, m: Matrix, id: number, f: Frame, decimate: boolean): string {
  const parts: string[] = [];
  let pen = false;
  const emit = (x: number, v: number): void => {
    parts.push(`${pen ? 'L' : 'M'}${num(x)} ${num(f.sy(v))}`);
    pen = true;
  };
  if (!decimate) {
    for (let t = 0; t < m.T; t++) {
      const v = m.data[t * m.N + id];
      if (!Number.isFinite(v) || !Number.isFinite(times[t])) { pen = false; continue; }
      emit(f.sx(times[t]), v);
    }
    return parts.join('');
  }
  let col = NaN, first = 0, last = 0, lo = 0, hi = 0, iLo = 0, iHi = 0, n = 0;
  const flush = (): void => {
    if (n === 0) return;
    const pts: [number, number][] = [[0, first]];
    if (iLo < iHi) { pts.push([1, lo], [2, hi]); } else { pts.push([1, hi], [2, lo]); }
    pts.push([3, last]);
    let prev = NaN;
    for (const [, v] of pts) { if (v !== prev) emit(col, v); prev = v; }
    n = 0;
  };
  for (let t = 0; t < m.T; t++) {
    const v = m.data[t * m.N + id];
    if (!Number.isFinite(v) || !Number.isFinite(times[t])) { flush(); pen = false; col = NaN; continue; }
    const c = Math.round(f.sx(times[t]));
    if (c !== col) { flush(); col = c; first = lo = hi = v; iLo = iHi = t; }
    if (v < lo) { lo = v; iLo = t; }
    if (v > hi) { hi = v; iHi = t; }
    last = v;
    n++;
  }
  flush();
  return parts.join('');
}

// ---- output -------------------------------------------------------------------------------------------------------

/** Write an SVG string to a file (Node only; node:fs is imported on first use). */
export async function save_svg(path: string, svg: string): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) fail('save_svg', 'path must be a non-empty string');
  if (typeof svg !== 'string' || !svg.includes('<svg')) fail('save_svg', 'svg must be an SVG document string');
  let fs: typeof import('node:fs/promises');
  try {
    fs = await import('node:fs/promises');
  } catch {
    fail('save_svg', 'needs Node (node:fs); in a browser use draw(svg, element)');
  }
  await fs.writeFile(path, svg, 'utf8');
}

/**
 * Insert an SVG string into a page element (browser), replacing its contents; `element` may be a CSS selector.
 * Returns the inserted <svg> element.
 */
export function draw(svg: string, element: DrawTarget): Element {
  if (typeof svg !== 'string' || !svg.includes('<svg')) fail('draw', 'svg must be an SVG document string');
  const doc: Document | undefined = typeof document !== 'undefined' ? document : undefined;
  let el: Element | null;
  if (typeof element === 'string') {
    if (!doc) fail('draw', 'a selector needs a browser document');
    el = doc.querySelector(element);
    if (!el) fail('draw', `no element matches ${JSON.stringify(element)}`);
  } else {
    el = element;
  }
  if (!el || typeof (el as Element).appendChild !== 'function') fail('draw', 'element must be a DOM element or a CSS selector');
  const markup = svg.replace(/^<\?xml[^>]*\?>\s*/, '');
  if (typeof DOMParser !== 'undefined') {
    const parsed = new DOMParser().parseFromString(markup, 'image/svg+xml');
    const root = parsed.documentElement;
    if (root.nodeName === 'parsererror' || root.getElementsByTagName('parsererror').length > 0) fail('draw', 'the SVG does not parse');
    const owner = el.ownerDocument ?? doc;
    const node = owner ? owner.importNode(root, true) : root;
    while (el.firstChild) el.removeChild(el.firstChild);
    el.appendChild(node);
    return node as Element;
  }
  el.innerHTML = markup;
  const node = el.firstElementChild;
  if (!node) fail('draw', 'the SVG could not be inserted');
  return node;
}

function maybeShow(svg: string, show: boolean | DrawTarget | undefined): void {
  if (show === undefined || show === false) return;
  if (show === true) {
    if (typeof document === 'undefined' || !document.body) return; // Node: nothing to show; save_svg writes a file
    const div = document.createElement('div');
    document.body.appendChild(div);
    draw(svg, div);
    return;
  }
  draw(svg, show);
}
