/**
 * The studio's work on one hotspot card (issue 7): its group (a text field offering the groups
 * already used in the walk, saved with If-Match on the version shown; a 412 reloads the list and
 * the list says so) and its comments (shown on request, each with author and time; a new one is
 * added and the list read again so it shows its author).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { describeError, isAbortError, type ApiClient } from '../../api/client.ts';
import { addHotspotComment, getHotspotComments, type Hotspot, type HotspotComment } from '../../api/walk-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import { formatReceived } from './walk-format.ts';
import { CLUSTER_MAX, clusterOf, normaliseCluster } from './walk-groups.ts';

interface ClusterProps {
  hotspot: Hotspot;
  busy: boolean;
  /** The id of the datalist with the walk's groups. */
  listId: string;
  onSave: (h: Hotspot, cluster: string | null) => Promise<boolean>;
}

export function HotspotClusterField({ hotspot: h, busy, listId, onSave }: ClusterProps) {
  const { t } = useI18n();
  const p = h.properties;
  const id = p.id;
  const current = clusterOf(h);
  // what is typed belongs to the group it was typed over: when the server's group changes (saved, or changed by
  // someone else) the field shows the server's group; other changes (publishing, a new version from the live
  // stream) keep what is being typed
  const [draft, setDraft] = useState<{ base: string | null; text: string } | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const text = draft !== null && draft.base === current ? draft.text : (current ?? '');
  const next = normaliseCluster(text);
  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    if (busy || next === current) return;
    void onSave(h, next).then((ok) => {
      setSaved(ok ? p.version + 1 : null);
      if (ok) setDraft(null);
    });
  };
  return (
    <form className="hotspot-cluster" onSubmit={submit}>
      <label htmlFor={`hotspot-cluster-${id}`}>{t('hotspotCluster')}</label>
      <input
        id={`hotspot-cluster-${id}`} data-testid={`hotspot-cluster-${id}`} type="text" list={listId} maxLength={CLUSTER_MAX}
        value={text} autoComplete="off" title={t('hotspotClusterHint')}
        onChange={(e) => {
          setSaved(null);
          setDraft({ base: current, text: e.target.value });
        }}
      />
      <button type="submit" className="small-button" disabled={busy || next === current} data-testid={`hotspot-cluster-save-${id}`}>
        {t('hotspotClusterSave')}
      </button>
      <span className="hotspot-cluster-saved" role="status">{saved === p.version ? t('hotspotClusterSaved') : ''}</span>
    </form>
  );
}

type Comments = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; comments: HotspotComment[] };

export function HotspotComments({ api, id }: { api: ApiClient; id: string }) {
  const { t, language } = useI18n();
  const [state, setState] = useState<Comments>({ status: 'loading' });
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    setState({ status: 'loading' });
    getHotspotComments(api, id, abort.signal).then(
      (comments) => setState({ status: 'ready', comments }),
      (err: unknown) => {
        if (!isAbortError(err)) setState({ status: 'error', message: describeError(err) });
      },
    );
    return () => abort.abort();
  }, [api, id]);

  const body = text.trim();
  const add = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    if (body === '' || sending) return;
    setSending(true);
    setError(null);
    try {
      const made = await addHotspotComment(api, id, body);
      setText('');
      try {
        setState({ status: 'ready', comments: await getHotspotComments(api, id) });
      } catch {
        setState((s) => ({ status: 'ready', comments: [...(s.status === 'ready' ? s.comments : []), made] }));
      }
    } catch (err) {
      setError(describeError(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="hotspot-comments" id={`hotspot-comments-body-${id}`} aria-busy={state.status === 'loading'}>
      {state.status === 'loading' && <p className="muted">{t('hotspotCommentsLoading')}</p>}
      {state.status === 'error' && <p className="walks-error" role="alert">{t('hotspotCommentsError')}: {state.message}</p>}
      {state.status === 'ready' && state.comments.length === 0 && <p className="muted">{t('hotspotCommentsEmpty')}</p>}
      <ul className="hotspot-comment-list" data-testid={`hotspot-comment-list-${id}`}>
        {state.status === 'ready' && state.comments.map((c) => (
          <li key={String(c.id)} className="hotspot-comment">
            <p className="hotspot-comment-meta muted">
              {t('hotspotCommentMeta', { author: c.author ?? t('hotspotCommentUnknownAuthor'), time: formatReceived(language, c.createdAt) })}
            </p>
            <p className="hotspot-comment-body">{c.body}</p>
          </li>
        ))}
      </ul>
      <form className="hotspot-comment-form" onSubmit={(e) => void add(e)}>
        <label htmlFor={`hotspot-comment-input-${id}`} className="visually-hidden">{t('hotspotCommentInput')}</label>
        <textarea
          id={`hotspot-comment-input-${id}`} data-testid={`hotspot-comment-input-${id}`} rows={2} maxLength={2000}
          placeholder={t('hotspotCommentInput')} value={text} onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="small-button" disabled={sending || body === ''} data-testid={`hotspot-comment-add-${id}`}>
          {t('hotspotCommentAdd')}
        </button>
        {error !== null && <p className="walks-error" role="alert">{t('hotspotCommentAddError')}: {error}</p>}
      </form>
    </div>
  );
}
