/** The organisations for the owner select, fetched the first time they are needed. */
import { useEffect, useRef, useState } from 'react';
import { isAbortError, type ApiClient } from '../../api/client.ts';
import type { Organisation } from '../../api/types.ts';

/** 'pending' until the list has arrived (or before it was needed). */
export type OrganisationsState = { status: 'pending' | 'error' } | { status: 'ready'; organisations: Organisation[] };

export function useOrganisations(api: ApiClient, needed: boolean): OrganisationsState {
  const [state, setState] = useState<OrganisationsState>({ status: 'pending' });
  const loaded = useRef(false);
  useEffect(() => {
    if (!needed || loaded.current) return;
    const abort = new AbortController();
    api.getOrganisations(abort.signal).then(
      (organisations) => {
        loaded.current = true;
        setState({ status: 'ready', organisations: [...organisations].sort((a, b) => a.name.localeCompare(b.name, 'nl')) });
      },
      (err: unknown) => {
        // Not marked loaded: the next time the list is needed it is asked for again.
        if (!isAbortError(err)) setState({ status: 'error' });
      },
    );
    return () => abort.abort();
  }, [api, needed]);
  return state;
}
