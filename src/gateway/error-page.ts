/** The short pages the gateway answers with itself (errors, redirects). */

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  421: 'Misdirected Request',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return reasons[status] ?? 'Error';
}

const cache = new Map<number, string>();

/** A small HTML page naming the status, the same for every request (nothing of the request is echoed). */
export function errorPage(status: number): string {
  let page = cache.get(status);
  if (page === undefined) {
    const title = `${status} ${reasonPhrase(status)}`;
    page = `<!doctype html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>vigil gateway</p></body></html>\n`;
    cache.set(status, page);
  }
  return page;
}

/** A whole HTTP/1.1 response for a connection whose request could not be parsed; the connection then closes. */
export function rawErrorResponse(status: number): string {
  const body = errorPage(status);
  return `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
