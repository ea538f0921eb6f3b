// A small browser stand-in for the sign-in tests: keeps cookies (by name and
// path; like a browser, not by port, so the portal and the provider on two
// 127.0.0.1 ports share one jar) and follows redirects one hop at a time.

interface StoredCookie {
  value: string;
  path: string;
}

export interface Hop {
  url: string;
  status: number;
  location?: string;
  setCookies: string[];
  body: string;
}

export class CookieClient {
  readonly jar = new Map<string, StoredCookie>();

  cookieHeader(url: URL): string {
    return [...this.jar.entries()]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map(([key, c]) => `${key.split("\u0000")[0]}=${c.value}`)
      .join("; ");
  }

  store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = "/";
      let expired = false;
      for (const a of attrs) {
        const [k, v = ""] = a.split("=");
        if (k.toLowerCase() === "path") path = v;
        if (k.toLowerCase() === "max-age" && Number(v) <= 0) expired = true;
        if (k.toLowerCase() === "expires" && Date.parse(v) < Date.now()) expired = true;
      }
      const key = `${name}\u0000${path}`;
      if (expired || value === "") this.jar.delete(key);
      else this.jar.set(key, { value, path });
    }
  }

  /** The value of a cookie by name, whatever its path. */
  cookie(name: string): string | undefined {
    for (const [key, c] of this.jar) if (key.split("\u0000")[0] === name) return c.value;
    return undefined;
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Hop> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: "text/html" };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(target, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    const setCookies = res.headers.getSetCookie();
    this.store(setCookies);
    const location = res.headers.get("location") ?? undefined;
    return {
      url,
      status: res.status,
      location: location ? new URL(location, target).href : undefined,
      setCookies,
      body: await res.text(),
    };
  }

  /** Follows redirects (GET) until a response that is not one, or until `stop` says so; returns every hop. */
  async follow(url: string, stop: (hop: Hop) => boolean = () => false, first?: Hop): Promise<Hop[]> {
    const hops: Hop[] = [];
    let hop = first ?? (await this.request(url));
    hops.push(hop);
    while (hop.location && hop.status >= 300 && hop.status < 400 && !stop(hop) && hops.length < 20) {
      hop = await this.request(hop.location);
      hops.push(hop);
    }
    return hops;
  }
}
