/**
 * Serves the app's real production builds (the folders manifest.yml names under
 * `resources:`) to the shell's iframes. The only change is one inline script put
 * first in index.html: the host's `window.__bridge`, which @forge/bridge needs
 * before any of its modules load.
 *
 * Responses carry a Content-Security-Policy close to Forge's for Custom UI (own
 * origin only, inline styles allowed because the manifest asks for them), so a
 * build that relies on inline scripts or remote code fails here as it would in Jira.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface Asset {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export class FrameAssets {
  private readonly bridgeScript: string;
  private readonly csp: string;

  constructor(
    private readonly appRoot: string,
    private readonly resourcePaths: Map<string, string>,
    bridgeScriptPath: string,
  ) {
    this.bridgeScript = readFileSync(bridgeScriptPath, 'utf8');
    const hash = createHash('sha256').update(this.bridgeScript).digest('base64');
    this.csp = [
      "default-src 'self'",
      `script-src 'self' 'sha256-${hash}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'self'",
    ].join('; ');
  }

  /** `resource` is a resource key, `rest` the path inside its build folder. */
  serve(resource: string, rest: string): Asset {
    const folder = this.resourcePaths.get(resource);
    if (!folder) return notFound(`No resource "${resource}" in manifest.yml.`);
    const root = join(this.appRoot, folder);
    if (!existsSync(join(root, 'index.html'))) {
      return notFound(`The ${resource} build is missing: run \`node static/build.mjs ${resource}\`.`);
    }
    const relative = normalize(decodeURIComponent(rest || 'index.html')).replace(/^([/\\])+/, '');
    const file = join(root, relative);
    if (file !== root && !file.startsWith(root + sep)) return notFound('Outside the resource.');
    if (!existsSync(file) || !statSync(file).isFile()) return notFound(`No file ${relative} in ${resource}.`);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store' };
    if (extname(file) === '.html') {
      headers['content-security-policy'] = this.csp;
      return { status: 200, headers, body: this.inject(readFileSync(file, 'utf8')) };
    }
    return { status: 200, headers, body: readFileSync(file) };
  }

  private inject(page: string): string {
    const tag = `<script>${this.bridgeScript}</script>`;
    const head = /<head[^>]*>/i.exec(page);
    if (head) return page.slice(0, head.index + head[0].length) + tag + page.slice(head.index + head[0].length);
    return tag + page;
  }
}

function notFound(message: string): Asset {
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message };
}
