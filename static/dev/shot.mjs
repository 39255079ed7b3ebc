// DEV ONLY: screenshots a surface from the dev preview with the system Chromium.
//   node static/dev/shot.mjs issue-panel out.png [width] [query]
import { chromium } from 'playwright-core';

const [surface = 'issue-panel', out = '/tmp/shot.png', width = '360', query = ''] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(`http://localhost:5180/${surface}/?surface=${surface}&${query}`);
await page.waitForTimeout(1500);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
