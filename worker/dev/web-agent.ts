// For the dashboard's tests and the bench (development only; no browser needed).
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  /** From sending the request to the whole body read (the bench times pages with it). */
  ms: number;
}

/** A tiny browser without a browser: keeps cookies, does not follow redirects, reads CSRF tokens from forms. */
export class WebAgent {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0\b/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(p: string): Promise<HttpResult> {
    const t = performance.now();
    const res = await fetch(this.baseUrl + p, { redirect: 'manual', headers: { cookie: this.cookieHeader() }, signal: AbortSignal.timeout(60_000) });
    return this.result(res, t);
  }

  async post(p: string, form: Record<string, string | string[]>): Promise<HttpResult> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const t = performance.now();
    const res = await fetch(this.baseUrl + p, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    return this.result(res, t);
  }

  /** A multipart form (a file upload), as a browser sends it; fetch sets the boundary. */
  async postMultipart(p: string, form: FormData): Promise<HttpResult> {
    const t = performance.now();
    const res = await fetch(this.baseUrl + p, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookieHeader() },
      body: form,
      signal: AbortSignal.timeout(60_000),
    });
    return this.result(res, t);
  }

  /** The action (with its query) of the form with this id on a page. */
  async formAction(p: string, id: string): Promise<string> {
    const page = await this.get(p);
    const action = new RegExp(`<form method="post" action="([^"]+)"[^>]*id="${id}"`).exec(page.text)?.[1];
    if (!action) throw new Error(`no form #${id} on ${p} (status ${page.status})`);
    return action.replace(/&amp;/g, '&');
  }

  private async result(res: Response, t: number): Promise<HttpResult> {
    this.keep(res);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location'), ms: performance.now() - t };
  }

  /** The CSRF token of the first form on a page. */
  async csrfFrom(p: string): Promise<string> {
    const page = await this.get(p);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token on ${p} (status ${page.status})`);
    return token;
  }

  async signIn(name: string, password: string): Promise<HttpResult> {
    const _csrf = await this.csrfFrom('/login');
    return this.post('/login', { _csrf, name, password, next: '/' });
  }

}
