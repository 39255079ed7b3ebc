/**
 * Builders for the `Response` objects the seam hands back to the SDKs. The SDKs read
 * only `ok`, `status`, `statusText`, `headers.get` and `text()/json()`, which the
 * built-in Response provides.
 */
import type { WireError } from './wire-error';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  504: 'Gateway Timeout',
};

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: STATUS_TEXT[status] ?? '',
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function textReply(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, statusText: STATUS_TEXT[status] ?? '', headers });
}

export function emptyReply(status: number): Response {
  return new Response(null, { status, statusText: STATUS_TEXT[status] ?? '' });
}

export function wireErrorReply(error: WireError): Response {
  return jsonReply(error.status, { code: error.code, message: error.message, ...error.extra });
}

/**
 * A failure of the Forge proxy itself: @forge/api turns the `forge-proxy-error`
 * header into ProxyRequestError (or NeedsAuthenticationError for that code).
 */
export function proxyErrorReply(status: number, reason: string): Response {
  return textReply(status, '', { 'forge-proxy-error': reason });
}

/** The request body as text, whatever form the SDK passed it in. */
export async function readBodyText(init: RequestInit | undefined): Promise<string> {
  const body = init?.body;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  return new Response(body).text();
}
