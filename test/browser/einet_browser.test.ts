/**
 * The BrainPy EINet in a real browser: Chromium (Debian's /usr/bin/chromium, headless, driven by playwright-core) runs
 * test/browser/einet_page.ts bundled by esbuild — WebAssembly SIMD kernels there too — and its spikes equal, step for
 * step, the same network run here in Node (and so do the plain-JS kernels in the page); the raster is drawn into the page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { runSmallEINet, type PageResult } from './einet_page';

const CHROMIUM = '/usr/bin/chromium';

test('EINet in Chromium: same spikes as Node, WebAssembly SIMD kernels, raster drawn', async () => {
  expect(fs.existsSync(CHROMIUM)).toBe(true); // .ci/run installs Debian's chromium
  const bundle = await build({
    entryPoints: [path.join(__dirname, 'einet_page.ts')], bundle: true, write: false, format: 'iife',
    globalName: 'einetPage', platform: 'browser', target: 'es2022', logLevel: 'silent',
  });
  const code = bundle.outputFiles[0].text;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spikeport-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><html><body><div id="plot"></div></body></html>');
    await page.addScriptTag({ content: code });
    type Page = { einetPage: { runSmallEINet(b?: 'auto' | 'js'): PageResult } };
    const inPage = await page.evaluate(() => (globalThis as unknown as Page).einetPage.runSmallEINet());
    const inPageJs = await page.evaluate(() => (globalThis as unknown as Page).einetPage.runSmallEINet('js'));
    expect(errors).toEqual([]);
    const inNode = runSmallEINet();
    expect(inPage.backend).toBe('wasm');
    expect(inNode.backend).toBe('wasm');
    expect(inPage.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(inPage.counts).toEqual(inNode.counts);
    // the plain-JS kernels (browsers without WebAssembly SIMD) give the same spikes
    expect(inPageJs.backend).toBe('js');
    expect(inPageJs.counts).toEqual(inNode.counts);
    expect(inPage.svgBytes).toBe(inNode.svgBytes);
    expect(inPage.drawn).toBe(true);
    expect(await page.locator('#plot svg path').count()).toBeGreaterThan(0);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}, 120_000);
