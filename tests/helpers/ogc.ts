/**
 * A client of the OGC API – Features for tests: every JSON answer is checked against the schema
 * the API's own OpenAPI document (/ogc/api) gives for that path and media type (ajv, with the
 * formats), and whole collections are read by following the `next` links as a client would.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';

type Doc = { paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> } }>; components: unknown };

export interface Feature {
  type: string;
  id: number | string;
  geometry: { type: string; coordinates?: unknown; geometries?: unknown[] };
  properties: Record<string, unknown>;
}
export interface Items {
  type: string;
  features: Feature[];
  links: { rel: string; href: string; type?: string }[];
  numberMatched: number;
  numberReturned: number;
  timeStamp: string;
}

export class OgcClient {
  private validators = new Map<string, (body: unknown) => boolean>();
  private doc: Doc | null = null;
  /** how many answers were validated against the OpenAPI document */
  validated = 0;

  constructor(readonly baseUrl: string) {}

  get(p: string, token: string | null = null, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(p.startsWith('http') ? p : `${this.baseUrl}${p}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  }

  private async document(): Promise<Doc> {
    if (!this.doc) {
      const res = await this.get('/ogc/api');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.oai\.openapi\+json;\s*version=3\.0/);
      this.doc = (await res.json()) as Doc;
    }
    return this.doc;
  }

  /** The validator of the documented 200 answer of the path template `url` matches. */
  private async validatorFor(url: string, type: string): Promise<(body: unknown) => boolean> {
    const doc = await this.document();
    const p = new URL(url, this.baseUrl).pathname.replace(/^\/ogc/, '') || '/';
    const template = Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}/?$`).test(p));
    if (!template) throw new Error(`the OpenAPI document has no path for ${p}`);
    const key = `${template} ${type}`;
    let v = this.validators.get(key);
    if (!v) {
      const schema = doc.paths[template]?.get.responses['200']?.content?.[type]?.schema;
      if (!schema?.$ref) throw new Error(`the OpenAPI document gives no ${type} schema for ${template}`);
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema({ $id: 'openapi', components: doc.components });
      const validate = ajv.compile({ $ref: `openapi${schema.$ref}` });
      v = (body) => validate(body) || (console.error(template, JSON.stringify(validate.errors, null, 1)), false);
      this.validators.set(key, v);
    }
    return v;
  }

  /** GET a JSON answer (200), checked against the OpenAPI document. */
  async json<T = Record<string, unknown>>(p: string, token: string | null = null, headers: Record<string, string> = {}): Promise<{ body: T; res: Response }> {
    const res = await this.get(p, token, headers);
    const text = await res.text();
    expect(res.status, `${p}: ${text.slice(0, 300)}`).toBe(200);
    const type = (res.headers.get('content-type') ?? '').split(';')[0] ?? '';
    const body = JSON.parse(text) as T;
    expect((await this.validatorFor(p, type))(body), `${p} against the OpenAPI document`).toBe(true);
    this.validated += 1;
    return { body, res };
  }

  async items(p: string, token: string | null = null): Promise<Items> {
    return (await this.json<Items>(p, token)).body;
  }

  /** Every feature of a query, page by page through the `next` links; the pages as read. */
  async all(p: string, token: string | null = null): Promise<{ features: Feature[]; pages: Items[] }> {
    const pages: Items[] = [];
    let url: string | undefined = p;
    while (url !== undefined) {
      const page = await this.items(url, token);
      pages.push(page);
      url = page.links.find((l) => l.rel === 'next')?.href;
      if (pages.length > 1000) throw new Error('more than 1000 pages');
    }
    return { features: pages.flatMap((x) => x.features), pages };
  }

  /** The status and error message of a refused request. */
  async refused(p: string, token: string | null = null): Promise<{ status: number; message: string }> {
    const res = await this.get(p, token);
    const body = (await res.json()) as { error?: { message?: string } };
    return { status: res.status, message: body.error?.message ?? '' };
  }
}
