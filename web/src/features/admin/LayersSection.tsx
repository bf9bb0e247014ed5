/**
 * The organisation's own layers: the classification of each (changed at once, put back when the
 * server refuses), the organisations it is shared with and until when, a form to share it with one
 * more, and stopping a share. A legend explains the four levels.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { CONFIDENTIALITY_LEVELS, type AdminDataset, type ConfidentialityLevel, type DatasetShare } from '../../api/admin-types.ts';
import { isConfidentialityLevel } from '../../api/admin-guards.ts';
import { useI18n } from '../../i18n/context.ts';
import { useOrganisations, type OrganisationsState } from '../import/use-organisations.ts';
import { invalidFields, type AdminFailure } from './admin-errors.ts';
import { formatCalendarDay, formatDay } from './admin-format.ts';
import {
  applyClassification,
  checkShare,
  isShareExpired,
  levelLabel,
  localDate,
  removeShareFrom,
  shareFormOf,
  shareTargets,
  type ShareForm,
} from './layer-shares.ts';
import { focusField, useLoaded, useRunner, type SectionProps } from './use-admin.ts';
import { LoadStatus } from './LoadStatus.tsx';

interface DatasetCardProps {
  dataset: AdminDataset;
  organisations: OrganisationsState;
  ownOrgId: number;
  today: string;
  form: ShareForm;
  busy: string | null;
  /** The failure on display when it is about sharing this layer. */
  failure: AdminFailure | null;
  onLevel: (dataset: AdminDataset, level: ConfidentialityLevel) => void;
  onForm: (datasetId: number, form: ShareForm) => void;
  onShare: (dataset: AdminDataset) => void;
  onUnshare: (dataset: AdminDataset, share: DatasetShare) => void;
}

function ShareList({ dataset, today, busy, onUnshare }: Pick<DatasetCardProps, 'dataset' | 'today' | 'busy' | 'onUnshare'>) {
  const { t, language } = useI18n();
  if (dataset.shares.length === 0) return <p className="muted">{t('layerNoShares')}</p>;
  return (
    <ul className="admin-shares">
      {dataset.shares.map((share) => {
        const expired = isShareExpired(share, today);
        const date = formatCalendarDay(language, share.validUntil);
        return (
          <li key={share.id} data-testid={`share-${share.id}`} data-expired={expired}>
            <span>
              {share.orgName} <span className={expired ? 'admin-expired' : 'muted'}>{t(expired ? 'shareExpired' : 'shareUntil', { date })}</span>
            </span>
            <button
              type="button"
              className="button danger-outline"
              data-testid={`share-remove-${share.id}`}
              aria-label={t('shareRemoveLabel', { name: dataset.name, organisation: share.orgName })}
              disabled={busy !== null}
              onClick={() => onUnshare(dataset, share)}
            >
              {t('shareRemove')}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function ShareAdd({ dataset, organisations, ownOrgId, today, form, busy, failure, onForm, onShare }: DatasetCardProps) {
  const { t } = useI18n();
  const id = dataset.id;
  const invalid = invalidFields(failure, 'share');
  if (organisations.status === 'error') return <p className="muted">{t('shareOrganisationsFailed')}</p>;
  const targets = organisations.status === 'ready' ? shareTargets(organisations.organisations, ownOrgId, dataset) : [];
  if (organisations.status === 'ready' && targets.length === 0) return <p className="muted">{t('shareNoTargets')}</p>;
  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    onShare(dataset);
  };
  return (
    <form className="admin-share-form" noValidate onSubmit={onSubmit} aria-label={t('shareAddLabel', { name: dataset.name })}>
      <div className="admin-field">
        <label htmlFor={`share-org-${id}`}>{t('shareWith')}</label>
        <select
          id={`share-org-${id}`}
          data-testid={`share-org-${id}`}
          value={form.org}
          aria-invalid={invalid.has('org')}
          disabled={organisations.status !== 'ready'}
          onChange={(e) => onForm(id, { ...form, org: e.target.value })}
        >
          <option value="">{t('shareOrgPlaceholder')}</option>
          {targets.map((target) => (
            <option key={target.slug} value={target.slug}>
              {target.name}
            </option>
          ))}
        </select>
      </div>
      <div className="admin-field">
        <label htmlFor={`share-until-${id}`}>{t('shareUntilLabel')}</label>
        <input
          id={`share-until-${id}`}
          type="date"
          data-testid={`share-until-${id}`}
          value={form.validUntil}
          min={today}
          aria-invalid={invalid.has('validUntil')}
          onChange={(e) => onForm(id, { ...form, validUntil: e.target.value })}
        />
      </div>
      <button type="submit" className="button primary" data-testid={`share-add-${id}`} aria-label={t('shareAddLabel', { name: dataset.name })} disabled={busy !== null}>
        {busy === `share-${id}` ? t('adminBusy') : t('shareAdd')}
      </button>
    </form>
  );
}

function DatasetCard(props: DatasetCardProps) {
  const { t, language } = useI18n();
  const { dataset, busy, onLevel } = props;
  const titleId = `layer-title-${dataset.id}`;
  return (
    <li className="admin-layer" data-testid={`layer-${dataset.id}`} aria-labelledby={titleId}>
      <div className="admin-layer-head">
        <div>
          <h4 id={titleId} tabIndex={-1}>
            {dataset.name}
          </h4>
          <span className="muted small">{t('layerImported', { date: formatDay(language, dataset.importedAt) })}</span>
        </div>
        <select
          data-testid={`layer-level-${dataset.id}`}
          data-level={dataset.confidentiality}
          aria-label={t('layerLevelLabel', { name: dataset.name })}
          value={dataset.confidentiality}
          disabled={busy === `level-${dataset.id}`}
          onChange={(e) => isConfidentialityLevel(e.target.value) && onLevel(dataset, e.target.value)}
        >
          {CONFIDENTIALITY_LEVELS.map((level) => (
            <option key={level} value={level}>
              {levelLabel(t, level)}
            </option>
          ))}
        </select>
      </div>
      <h5>{t('layerShares')}</h5>
      <ShareList {...props} />
      <ShareAdd {...props} />
    </li>
  );
}

export function LayersSection({ api, user, failure, notify }: SectionProps) {
  const { t, language } = useI18n();
  const load = useCallback((signal: AbortSignal) => api.getAdminDatasets(signal), [api]);
  const { state, reload, update } = useLoaded(load, notify);
  const { busy, run } = useRunner(notify, reload);
  const organisations = useOrganisations(api, true);
  const [forms, setForms] = useState<Readonly<Record<number, ShareForm>>>({});
  // The user's own day, taken when the section opens: the first day a share can run until.
  const [today] = useState(() => localDate(new Date()));
  const [sharing, setSharing] = useState<number | null>(null);
  // The layer whose share was just stopped: its button is gone, so focus goes to its form (or title).
  const refocus = useRef<number | null>(null);
  useEffect(() => {
    const id = refocus.current;
    if (id === null) return;
    refocus.current = null;
    (document.getElementById(`share-org-${id}`) ?? document.getElementById(`layer-title-${id}`))?.focus();
  }, [state]);

  const onLevel = (dataset: AdminDataset, level: ConfidentialityLevel): void => {
    const before = dataset.confidentiality;
    update((datasets) => applyClassification(datasets, dataset.id, level));
    void run(
      `level-${dataset.id}`,
      'classify',
      async () => {
        await api.classifyDataset(dataset.id, level);
        return t('layerClassified', { name: dataset.name, level: levelLabel(t, level) });
      },
      () => update((datasets) => applyClassification(datasets, dataset.id, before)),
    );
  };

  const onShare = (dataset: AdminDataset): void => {
    if (busy !== null) return;
    setSharing(dataset.id);
    const form = shareFormOf(forms, dataset.id, today);
    const checked = checkShare(form, today);
    if (!checked.ok) {
      notify.fail('share', { kind: 'validation', issues: checked.issues });
      focusField(`${checked.issues[0]?.field === 'org' ? 'share-org' : 'share-until'}-${dataset.id}`);
      return;
    }
    const organisation = organisations.status === 'ready' ? (organisations.organisations.find((o) => o.slug === checked.value.org)?.name ?? checked.value.org) : checked.value.org;
    void run(`share-${dataset.id}`, 'share', async () => {
      await api.addShare(dataset.id, checked.value);
      setForms((all) => Object.fromEntries(Object.entries(all).filter(([key]) => key !== String(dataset.id))));
      reload();
      return t('layerShared', { name: dataset.name, organisation, date: formatCalendarDay(language, checked.value.validUntil) });
    });
  };

  const onUnshare = (dataset: AdminDataset, share: DatasetShare): void => {
    void run(`unshare-${share.id}`, 'unshare', async () => {
      await api.removeShare(share.id);
      refocus.current = dataset.id;
      update((datasets) => removeShareFrom(datasets, share.id));
      return t('layerUnshared', { name: dataset.name, organisation: share.orgName });
    });
  };

  return (
    <div className="admin-section" data-testid="admin-layers">
      <p className="muted">{t('layersIntro', { organisation: user.organisation.name })}</p>
      <p className="admin-legend" data-testid="level-legend">
        <strong>{t('levelLegendTitle')}:</strong> {t('levelLegend')} {t('layerShareHint')}
      </p>
      <LoadStatus status={state.status} reload={reload} />
      {state.status === 'ready' &&
        (state.data.length === 0 ? (
          <p className="muted">{t('adminLayersEmpty')}</p>
        ) : (
          <ul className="admin-layers">
            {state.data.map((dataset) => (
              <DatasetCard
                key={dataset.id}
                dataset={dataset}
                organisations={organisations}
                ownOrgId={user.organisation.id}
                today={today}
                form={shareFormOf(forms, dataset.id, today)}
                busy={busy}
                failure={sharing === dataset.id ? failure : null}
                onLevel={onLevel}
                onForm={(id, form) => setForms((all) => ({ ...all, [id]: form }))}
                onShare={onShare}
                onUnshare={onUnshare}
              />
            ))}
          </ul>
        ))}
    </div>
  );
}
