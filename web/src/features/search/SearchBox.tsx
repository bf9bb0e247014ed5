/**
 * Search by KLIC gml:id, label, work title or street. A real form: Enter
 * searches at once, typing searches after a pause; arrow keys move through
 * the results, Escape closes them.
 */
import { getSystem } from '@model/systems.ts';
import { Fragment, useId, useRef, useState, type Dispatch, type KeyboardEvent, type RefObject } from 'react';
import type { ApiClient, SearchResult } from '../../api/client.ts';
import { useI18n } from '../../i18n/context.ts';
import { WORKS_LEGEND_COLOR } from '../../layers/works-layer.ts';
import type { AppAction } from '../../state/app-state.ts';
import { useSearch, type SearchState } from './use-search.ts';

const DATE_RANGE = /^\d{4}-\d{2}-\d{2}( – \d{4}-\d{2}-\d{2})?$/;

export interface SearchBoxProps {
  api: ApiClient;
  dispatch: Dispatch<AppAction>;
}

function ResultSwatch({ result }: { result: SearchResult }) {
  if (result.kind === 'work' || result.system === null) {
    return <span className="swatch swatch-area" style={{ borderColor: WORKS_LEGEND_COLOR }} aria-hidden="true" />;
  }
  return <span className="swatch swatch-line" style={{ backgroundColor: getSystem(result.system).color }} aria-hidden="true" />;
}

function focusSibling(list: HTMLElement | null, step: 1 | -1): void {
  const buttons = [...(list?.querySelectorAll<HTMLButtonElement>('button.search-result') ?? [])];
  const at = buttons.findIndex((b) => b === document.activeElement);
  buttons[Math.max(0, Math.min(buttons.length - 1, at + step))]?.focus();
}

interface ResultsProps {
  id: string;
  state: Extract<SearchState, { status: 'done' }>;
  onChoose: (result: SearchResult) => void;
  onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
  listRef: RefObject<HTMLUListElement | null>;
}

function Results({ id, state, onChoose, onKeyDown, listRef }: ResultsProps) {
  const { t } = useI18n();
  return (
    <ul id={id} ref={listRef} className="search-results" data-testid="search-results" aria-label={t('searchResultsLabel')} onKeyDown={onKeyDown}>
      {state.results.length === 0 && <li className="search-empty">{t('searchNoResults', { q: state.query })}</li>}
      {state.results.map((r) => (
        <li key={`${r.kind}-${r.id}`}>
          <button type="button" className="search-result" onClick={() => onChoose(r)}>
            <ResultSwatch result={r} />
            <span className="search-result-text">
              <span className="search-result-title">{r.title}</span>
              <span className="search-result-subtitle">
                {r.kind === 'work' ? t('searchKindWork') : t('searchKindAsset')}
                {/* a work's window is never broken at a date's hyphens; long ids still wrap anywhere */}
                {r.subtitle.split(' · ').filter((part) => part !== '').map((part, i) => (
                  <Fragment key={i}>
                    {' · '}
                    {DATE_RANGE.test(part) ? <span className="search-result-dates">{part}</span> : part}
                  </Fragment>
                ))}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function SearchBox({ api, dispatch }: SearchBoxProps) {
  const { t } = useI18n();
  const { state, run, schedule, reset } = useSearch(api, dispatch);
  const [query, setQuery] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const ids = { input: useId(), results: useId() };
  const open = state.status === 'done';

  const choose = (r: SearchResult): void => {
    dispatch({ type: 'search/choose', kind: r.kind, id: r.id, bbox: r.bbox, system: r.system });
    reset();
    inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === 'Escape' && state.status !== 'idle') {
      e.stopPropagation();
      reset();
      inputRef.current?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focusSibling(listRef.current, e.key === 'ArrowDown' ? 1 : -1);
    }
  };

  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        run(query);
      }}
    >
      <label htmlFor={ids.input} className="visually-hidden">
        {t('searchLabel')}
      </label>
      <input
        ref={inputRef}
        id={ids.input}
        type="search"
        data-testid="search-input"
        value={query}
        placeholder={t('searchPlaceholder')}
        autoComplete="off"
        spellCheck={false}
        aria-controls={open ? ids.results : undefined}
        aria-expanded={open}
        onChange={(e) => {
          setQuery(e.target.value);
          schedule(e.target.value);
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="search-submit">
        {t('searchButton')}
      </button>
      {state.status === 'busy' && (
        <p className="search-status" role="status">
          {t('searchBusy')}
        </p>
      )}
      {state.status === 'done' && <Results id={ids.results} state={state} onChoose={choose} onKeyDown={onKeyDown} listRef={listRef} />}
    </form>
  );
}
