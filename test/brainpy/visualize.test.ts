/**
 * bp.visualize: SVG well-formedness (a small XML checker below), spike-tick counts for a known raster, axes ranges,
 * labels and ticks, thinning of large rasters, line_plot traces/legend/decimation, save_svg, and draw with a minimal
 * fake DOM. No browser is needed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as torch from '../../src/torch/index';
import { visualize } from '../../src/brainpy/bp';

/** A minimal XML well-formedness check: one root, balanced tags, quoted attributes, no stray `<` or `&`. */
function checkXml(xml: string): { root: string; elements: number } {
  let s = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  s = s.replace(/<!--[\s\S]*?-->/g, (c) => {
    if (c.slice(4, -3).includes('--')) throw new Error('"--" inside a comment');
    return '';
  });
  const stack: string[] = [];
  let root = '';
  let elements = 0;
  let closedRoot = false;
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = lt < 0 ? s.slice(i) : s.slice(i, lt);
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`bad entity in text ${JSON.stringify(text.slice(0, 40))}`);
    if (text.trim() && stack.length === 0) throw new Error('text outside the root');
    if (lt < 0) break;
    tagRe.lastIndex = lt;
    const m = tagRe.exec(s);
    if (!m) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(s.slice(lt, lt + 60))}`);
    const [, close, name, attrs, self] = m;
    const names = new Set<string>();
    for (const a of attrs.matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)) {
      if (names.has(a[1])) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      names.add(a[1]);
    }
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(attrs)) throw new Error(`bad entity in attributes of <${name}>`);
    if (close) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
      if (stack.length === 0) closedRoot = true;
    } else {
      if (closedRoot) throw new Error('a second root element');
      elements++;
      if (!root) root = name;
      if (!self) stack.push(name);
      else if (stack.length === 0) closedRoot = true;
    }
    i = tagRe.lastIndex;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (!root) throw new Error('no root element');
  return { root, elements };
}

function attr(svg: string, cls: string, name: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(new RegExp(`<[a-z]+ class="${cls}"[^>]*>`, 'g'))) {
    const a = new RegExp(`\\s${name}="([^"]*)"`).exec(m[0]);
    if (a) out.push(a[1]);
  }
  return out;
}
const texts = (svg: string, cls: string): string[] => [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);
const countTicks = (d: string): number => (d.match(/M/g) ?? []).length;

describe('checkXml (the test helper itself)', () => {
  test('rejects broken documents', () => {
    expect(checkXml('<a><b x="1"/></a>')).toEqual({ root: 'a', elements: 2 });
    expect(() => checkXml('<a><b></a>')).toThrow();
    expect(() => checkXml('<a x=1></a>')).toThrow();
    expect(() => checkXml('<a>R&D</a>')).toThrow();
    expect(() => checkXml('<a></a><b></b>')).toThrow();
    expect(() => checkXml('<a x="1" x="2"></a>')).toThrow();
  });
});

describe('raster_plot', () => {
  // 5 steps × 4 neurons, 6 spikes
  const ts = [0, 1, 2, 3, 4];
  const sp = [
    [1, 0, 0, 1],
    [0, 0, 0, 0],
    [0, 1, 0, 0],
    [1, 0, 1, 0],
    [0, 0, 0, 1],
  ];

  test('well-formed SVG with one path and one tick per spike', () => {
    const svg = visualize.raster_plot(ts, sp);
    expect(checkXml(svg).root).toBe('svg');
    expect(svg.startsWith('<?xml')).toBe(true);
    const ds = attr(svg, 'spikes', 'd');
    expect(ds).toHaveLength(1);
    expect(countTicks(ds[0])).toBe(6);
    expect(attr(svg, 'spikes', 'data-count')).toEqual(['6']);
    expect(attr(svg, 'spikes', 'stroke')).toEqual(['#000000']);
    // default labels and limits (BrainPy's defaults: 'Time (ms)', 'Neuron index')
    expect(texts(svg, 'xlabel')).toEqual(['Time (ms)']);
    expect(texts(svg, 'ylabel')).toEqual(['Neuron index']);
    expect(attr(svg, 'axes', 'data-xlim')).toEqual(['0,4']);
    expect(attr(svg, 'axes', 'data-ylim')).toEqual(['-0.5,3.5']);
    expect(texts(svg, 'title')).toEqual([]);
  });

  test('tick positions: x from ts, y from the neuron index (upwards)', () => {
    const svg = visualize.raster_plot(ts, sp, { width: 500, height: 400, markersize: 2 });
    const d = attr(svg, 'spikes', 'd')[0];
    const pts = [...d.matchAll(/M([\d.]+) ([\d.]+)v([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2]) + Number(m[3]) / 2]);
    // frame: left 70, right 20 → plot width 410; top 16, bottom 50 → plot height 334
    const sx = (t: number): number => 70 + (t / 4) * 410;
    const sy = (n: number): number => 16 + 334 - ((n + 0.5) / 4) * 334;
    const expected = [[0, 0], [0, 3], [2, 1], [3, 0], [3, 2], [4, 3]].map(([t, n]) => [sx(t), sy(n)]);
    expect(pts).toHaveLength(6);
    pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let k = 0; k < 6; k++) {
      // coordinates are rounded to 0.1 px (and the tick ends to 0.01 px)
      expect(Math.abs(pts[k][0] - expected[k][0])).toBeLessThan(0.07);
      expect(Math.abs(pts[k][1] - expected[k][1])).toBeLessThan(0.07);
    }
  });

  test('tensors (bool and float), limits, labels, title, per-neuron colours', () => {
    const spikes = torch.tensor(sp, { dtype: 'bool' });
    const times = torch.tensor(ts.map((t) => t * 0.1), { dtype: 'float32' });
    const svg = visualize.raster_plot(times, spikes, {
      xlim: [0, 0.25], ylim: [0, 2], xlabel: 'time <ms>', ylabel: 'idx', title: 'E & I', color: ['r', 'b', '#00ff00', 'k'],
    });
    checkXml(svg);
    expect(texts(svg, 'xlabel')).toEqual(['time &lt;ms&gt;']);
    expect(texts(svg, 'title')).toEqual(['E &amp; I']);
    expect(attr(svg, 'axes', 'data-xlim')).toEqual(['0,0.25']);
    // inside xlim [0, 0.25] and ylim [0, 2]: (t0,n0) red, (t2,n1) blue → one path per colour
    const strokes = attr(svg, 'spikes', 'stroke');
    expect(strokes.sort()).toEqual(['#0000ff', '#ff0000']);
    expect(attr(svg, 'spikes', 'd').map(countTicks)).toEqual([1, 1]);
    // x tick labels are nice numbers inside the range
    const xt = texts(svg, 'xtick').map(Number);
    expect(xt[0]).toBeGreaterThanOrEqual(0);
    expect(xt[xt.length - 1]).toBeLessThanOrEqual(0.25);
    expect(xt.length).toBeGreaterThanOrEqual(3);
    const float = visualize.raster_plot(times, torch.tensor(sp, { dtype: 'float32' }));
    expect(attr(float, 'spikes', 'data-count')).toEqual(['6']);
  });

  test('axis ticks: nice values covering the data range', () => {
    const T = 1000, N = 4000;
    const times = Float32Array.from({ length: T }, (_, i) => i * 0.1);
    const rows = Array.from({ length: T }, () => new Uint8Array(N));
    const svg = visualize.raster_plot(times, rows);
    expect(texts(svg, 'xtick')).toEqual(['0', '20', '40', '60', '80']);
    expect(texts(svg, 'ytick')).toEqual(['0', '1000', '2000', '3000']);
    expect(countTicks(attr(svg, 'spikes', 'd').join(''))).toBe(0);
  });

  test('large rasters: one path, de-duplicated and thinned to max_spikes', () => {
    const T = 2000, N = 400;
    const rows: Uint8Array[] = [];
    let s = 12345;
    let total = 0;
    for (let t = 0; t < T; t++) {
      const r = new Uint8Array(N);
      for (let n = 0; n < N; n++) {
        s = (s * 1103515245 + 12345) >>> 0;
        if (s / 2 ** 32 < 0.05) { r[n] = 1; total++; }
      }
      rows.push(r);
    }
    const ts2 = Array.from({ length: T }, (_, i) => i * 0.1);
    const full = visualize.raster_plot(ts2, rows, { width: 4000, height: 2000, max_spikes: 10 ** 6 });
    checkXml(full);
    const nFull = countTicks(attr(full, 'spikes', 'd')[0]);
    expect(nFull).toBeLessThanOrEqual(total);
    expect(nFull).toBeGreaterThan(total * 0.9); // 4000×2000 px: few collisions
    const thin = visualize.raster_plot(ts2, rows, { width: 4000, height: 2000, max_spikes: 5000 });
    checkXml(thin);
    const k = Number(attr(thin, 'spikes', 'data-thinned')[0]);
    expect(k).toBe(Math.ceil(nFull / 5000));
    expect(countTicks(attr(thin, 'spikes', 'd')[0])).toBeLessThanOrEqual(5000);
    expect(thin).toContain('thinned');
    expect(thin.split('<path').length).toBe(full.split('<path').length);
  });

  test('argument errors', () => {
    expect(() => visualize.raster_plot([0, 1], sp)).toThrow(/5 rows/);
    expect(() => visualize.raster_plot(ts, sp, { xlim: [1, 0] })).toThrow(/xlim/);
    expect(() => visualize.raster_plot(ts, sp, { color: ['r'] })).toThrow(/color/);
    expect(() => visualize.raster_plot(ts, [1, 0, 1, 0, 1] as unknown as number[][])).toThrow(/2-D/);
  });
});

describe('line_plot', () => {
  const T = 50;
  const ts = Array.from({ length: T }, (_, i) => i);
  const vals = Array.from({ length: T }, (_, t) => [Math.sin(t / 5), t / 10, -t]);

  test('one path per plot id, legend labels `${legend}-${id}`, limits', () => {
    const svg = visualize.line_plot(ts, vals, { plot_ids: [0, 1], legend: 'V', ylabel: 'V (mV)', title: 'traces' });
    checkXml(svg);
    const ds = attr(svg, 'line', 'd');
    expect(ds).toHaveLength(2);
    expect(attr(svg, 'line', 'data-id')).toEqual(['0', '1']);
    for (const d of ds) expect((d.match(/[ML]/g) ?? []).length).toBe(T);
    expect(svg).toContain('>V-0</text>');
    expect(svg).toContain('>V-1</text>');
    expect(texts(svg, 'ylabel')).toEqual(['V (mV)']);
    expect(texts(svg, 'title')).toEqual(['traces']);
    const [lo, hi] = attr(svg, 'axes', 'data-ylim')[0].split(',').map(Number);
    expect(lo).toBeLessThan(-0.99); // min over ids 0 and 1 is sin's minimum ≈ -1, plus a 5% margin
    expect(hi).toBeGreaterThan(4.9);
    expect(attr(svg, 'axes', 'data-xlim')).toEqual(['0,49']);
  });

  test('defaults: plot_ids [0], 1-D values, tensors, explicit limits', () => {
    const svg = visualize.line_plot(torch.tensor(ts, { dtype: 'float32' }), torch.tensor(vals, { dtype: 'float32' }));
    expect(attr(svg, 'line', 'data-id')).toEqual(['0']);
    expect(svg).not.toContain('class="legend"');
    const one = visualize.line_plot(ts, vals.map((r) => r[2]), { ylim: [-60, 10], xlim: [0, 100] });
    checkXml(one);
    expect(attr(one, 'axes', 'data-ylim')).toEqual(['-60,10']);
    expect(texts(one, 'ytick')).toContain('-40');
    expect(() => visualize.line_plot(ts, vals, { plot_ids: [3] })).toThrow(/plot_ids/);
  });

  test('long traces are decimated per pixel column and keep the extremes', () => {
    const n = 100000;
    const t = Float64Array.from({ length: n }, (_, i) => i * 0.1);
    const v = Float64Array.from({ length: n }, (_, i) => (i === 54321 ? 5 : Math.sin(i / 300)));
    const svg = visualize.line_plot(t, v, { width: 600, height: 300 });
    checkXml(svg);
    const d = attr(svg, 'line', 'd')[0];
    const ys = [...d.matchAll(/[ML][\d.-]+ ([\d.-]+)/g)].map((m) => Number(m[1]));
    expect(ys.length).toBeLessThan(4 * 600);
    // ylim = [-1, 5] ± 5% = [-1.3, 5.3]; the single sample at 5 must survive decimation: y = 16 + 234·0.3/6.6
    expect(Math.min(...ys)).toBeCloseTo(16 + (234 * 0.3) / 6.6, 1);
  });
});

describe('save_svg and draw', () => {
  test('save_svg writes the document', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spikeport-vis-'));
    const file = path.join(dir, 'r.svg');
    const svg = visualize.raster_plot([0, 1], [[1], [0]]);
    await visualize.save_svg(file, svg);
    expect(fs.readFileSync(file, 'utf8')).toBe(svg);
    fs.rmSync(dir, { recursive: true, force: true });
    await expect(visualize.save_svg(file, 'nope')).rejects.toThrow(/SVG/);
  });

  test('draw inserts the markup into an element (fake DOM without DOMParser)', () => {
    const el = { innerHTML: '', firstElementChild: null as unknown, appendChild() { return null; } };
    Object.defineProperty(el, 'firstElementChild', { get: () => (el.innerHTML.startsWith('<svg') ? { tagName: 'svg' } : null) });
    const svg = visualize.line_plot([0, 1, 2], [1, 2, 3]);
    const node = visualize.draw(svg, el as unknown as Element);
    expect(el.innerHTML.startsWith('<svg')).toBe(true);
    expect((node as unknown as { tagName: string }).tagName).toBe('svg');
    expect(() => visualize.draw(svg, '#plot')).toThrow(/browser/);
  });
});
