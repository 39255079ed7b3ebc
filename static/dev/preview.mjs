// DEV ONLY: serves static/<surface>/build with the canned fake bridge injected first.
//   node static/dev/preview.mjs [port]   then open /issue-panel/?surface=issue-panel
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const staticDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const port = Number(process.argv[2] ?? 5180);

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/__dev/fake-bridge.js') {
    res.writeHead(200, { 'content-type': types['.js'] });
    res.end(await readFile(join(staticDir, 'dev', 'fake-bridge.js')));
    return;
  }
  const [, surface, ...rest] = url.pathname.split('/');
  const file = normalize(join(staticDir, surface ?? '', 'build', rest.join('/') || 'index.html'));
  if (!file.startsWith(staticDir)) {
    res.writeHead(403).end();
    return;
  }
  try {
    let body = await readFile(file);
    if (file.endsWith('.html')) body = Buffer.from(body.toString().replace('<head>', '<head><script src="/__dev/fake-bridge.js"></script>'));
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}).listen(port, () => console.log(`dev preview on http://localhost:${port}/<surface>/?surface=<surface>`));
