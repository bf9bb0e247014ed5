/**
 * Before the load: the demo users sign in (session cookie + CSRF token, as the browser does), and
 * the soak learns from the API what it will ask for: the OGC collections the reader sees, the works,
 * street names to search for, and a work of the editor's organisation that the editor may change
 * (probed with one PATCH, whose ETag the first soak PATCH names).
 */
import { DEMO_PASSWORD } from '../../api/src/auth/demo.ts';
import { TILE_LAYERS } from '../../api/src/db/sql/tiles.ts';
import type { ApiMixOptions, DemoArea, Session } from './traffic.ts';

/** tiles and reads: the municipality's area manager (all six KLIC request areas) */
export const MAIN_USER = 'regisseur@maasgouw.demo';
/** tiles: WML's analyst (its own network everywhere, others' only in one project area) */
export const OTHER_USER = 'analist@wml.demo';
/** PATCHes: the municipality's analyst */
export const EDIT_USER = 'analist@maasgouw.demo';

export async function signIn(baseUrl: string, email: string): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const body = (await res.json()) as { csrfToken?: string | null };
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 200 || !cookie || !body.csrfToken) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return { email, cookie, csrf: body.csrfToken };
}

async function getJson<T>(baseUrl: string, path: string, s: Session): Promise<T> {
  const res = await fetch(baseUrl + path, { headers: { cookie: s.cookie, accept: 'application/json' } });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

interface WorkFeature {
  id: number;
  properties: { owner?: string | null; street?: string | null; place?: string | null };
}

/** The first work of the editor's organisation that the editor may change, with its ETag after one probe PATCH. */
async function editableWork(baseUrl: string, editor: Session, works: WorkFeature[]): Promise<{ workId: number; etag: string }> {
  for (const w of works.filter((f) => f.properties.owner === 'maasgouw')) {
    const got = await fetch(`${baseUrl}/api/works/${w.id}`, { headers: { cookie: editor.cookie } });
    const etag = got.headers.get('etag');
    if (got.status !== 200 || !etag) continue;
    const res = await fetch(`${baseUrl}/api/works/${w.id}`, {
      method: 'PATCH', body: JSON.stringify({ contact: 'soak edit 0' }),
      headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'if-match': etag, 'content-type': 'application/json' },
    });
    const next = res.headers.get('etag');
    if (res.status === 200 && next) return { workId: w.id, etag: next };
  }
  throw new Error(`${EDIT_USER} may change none of the municipality's works`);
}

export interface Prepared {
  main: Session;
  other: Session;
  layers: string[];
  api: ApiMixOptions;
}

export async function prepare(baseUrl: string, area: DemoArea, patchEveryMs: number): Promise<Prepared> {
  const [main, other, editor] = [await signIn(baseUrl, MAIN_USER), await signIn(baseUrl, OTHER_USER), await signIn(baseUrl, EDIT_USER)];
  const collections = (await getJson<{ collections: { id: string }[] }>(baseUrl, '/ogc/collections?f=json', main)).collections.map((c) => c.id);
  const works = (await getJson<{ features: WorkFeature[] }>(baseUrl, '/api/works', main)).features;
  const streets = [...new Set(works.flatMap((w) => [w.properties.street, w.properties.place]).filter((s): s is string => typeof s === 'string' && s.length >= 3))];
  const edit = await editableWork(baseUrl, editor, (await getJson<{ features: WorkFeature[] }>(baseUrl, '/api/works', editor)).features);
  if (collections.length === 0 || works.length === 0) throw new Error(`${MAIN_USER} sees ${collections.length} collections and ${works.length} works`);
  return {
    main, other,
    layers: [...TILE_LAYERS.keys()],
    api: {
      area, collections: collections.filter((c) => TILE_LAYERS.has(c as never) || c === 'works' || c === 'moratoria'), workIds: works.map((w) => w.id),
      searchTerms: streets.length > 0 ? streets.slice(0, 20) : ['straat'], reader: main,
      edit: { session: editor, ...edit }, patchEveryMs,
    },
  };
}
