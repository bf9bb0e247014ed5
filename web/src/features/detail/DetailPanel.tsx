/**
 * Details of the selected network object or planned work: a card over the
 * right side of the map with a close button (Escape closes it too, see App).
 * Focus stays where the user was; the card announces itself (aria-live).
 */
import { getSystem } from '@model/systems.ts';
import type { AssetDetail, MoratoriumProperties, WorkDetail } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { systemLabel } from '../../i18n/index.ts';
import { MORATORIUM_LEGEND_COLOR } from '../../layers/moratoria-layer.ts';
import { WORKS_LEGEND_COLOR } from '../../layers/works-layer.ts';
import { assetRows, assetTitle, attributeText, workRows, type DetailRow } from './fields.ts';
import { moratoriumRows } from './moratorium-fields.ts';
import { DetailEditActions } from '../work-edit/DetailEditActions.tsx';
import type { DetailState } from './use-detail.ts';

export interface DetailPanelProps {
  detail: DetailState;
  onClose: () => void;
  /** "Bewerken" / "Verwijderen" on a work's card (absent: no buttons). */
  onEditWork?: ((id: number) => void) | undefined;
  onDeleteWork?: ((id: number) => void) | undefined;
  /** The same for a moratorium's card. */
  onEditMoratorium?: ((id: number) => void) | undefined;
  onDeleteMoratorium?: ((id: number) => void) | undefined;
  /** With the buttons: only for items of this owner (organisation slug); absent = for all. */
  editableOwner?: string | null | undefined;
}

function Rows({ rows }: { rows: DetailRow[] }) {
  const { t } = useI18n();
  return (
    <dl className="detail-rows">
      {rows.map((row) => (
        <div key={row.key} className="detail-row">
          <dt>{row.label}</dt>
          <dd data-testid={`detail-${row.key}`} className={row.value === null ? 'unknown' : undefined}>
            {row.value ?? t('detailUnknown')}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Attributes({ attributes }: { attributes: AssetDetail['attributes'] }) {
  const { language, t } = useI18n();
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) return null;
  return (
    <details className="detail-attributes">
      <summary>{t('fieldAttributes')}</summary>
      <dl className="detail-rows">
        {entries.map(([key, value]) => (
          <div key={key} className="detail-row">
            <dt>{key}</dt>
            <dd>{attributeText(value, language, t)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function AssetBody({ asset }: { asset: AssetDetail }) {
  const { language, t } = useI18n();
  return (
    <>
      <Rows rows={assetRows(asset, language, t)} />
      <Attributes attributes={asset.attributes} />
    </>
  );
}

function WorkBody({ work }: { work: WorkDetail }) {
  const { language, t } = useI18n();
  return <Rows rows={workRows(work, t, language)} />;
}

function MoratoriumBody({ moratorium }: { moratorium: MoratoriumProperties }) {
  const { language, t } = useI18n();
  return <Rows rows={moratoriumRows(moratorium, language, t)} />;
}

function Heading({ detail }: { detail: Exclude<DetailState, { status: 'idle' }> }) {
  const { language, t } = useI18n();
  if (detail.selection.kind === 'moratorium') {
    return (
      <>
        <p className="detail-kicker">
          <span className="swatch swatch-area" style={{ borderColor: MORATORIUM_LEGEND_COLOR, backgroundColor: 'rgb(165 0 33 / 0.12)' }} aria-hidden="true" />
          {t('detailTitleMoratorium')}
        </p>
        <h2 id="detail-title">{detail.status === 'moratorium' ? detail.moratorium.reason : t('detailTitleMoratorium')}</h2>
      </>
    );
  }
  if (detail.status === 'asset') {
    const system = getSystem(detail.asset.system);
    const title = assetTitle(detail.asset, language) ?? t('detailTitleAsset');
    return (
      <>
        <p className="detail-kicker">
          <span className="swatch swatch-line" style={{ backgroundColor: system.color }} aria-hidden="true" />
          {systemLabel(language, system)}
        </p>
        <h2 id="detail-title">{title}</h2>
      </>
    );
  }
  const isWork = detail.selection.kind === 'work';
  const title = detail.status === 'work' ? (detail.work.title ?? t('detailTitleWork')) : isWork ? t('detailTitleWork') : t('detailTitleAsset');
  return (
    <>
      {isWork && (
        <p className="detail-kicker">
          <span className="swatch swatch-area" style={{ borderColor: WORKS_LEGEND_COLOR }} aria-hidden="true" />
          {t('detailTitleWork')}
        </p>
      )}
      <h2 id="detail-title">{title}</h2>
    </>
  );
}

export function DetailPanel({ detail, onClose, onEditWork, onDeleteWork, onEditMoratorium, onDeleteMoratorium, editableOwner }: DetailPanelProps) {
  const { t } = useI18n();
  if (detail.status === 'idle') return null;
  const editable = (owner: string | null | undefined): boolean => editableOwner === undefined || (owner ?? null) === editableOwner;
  return (
    <aside className="detail-panel" data-testid="detail-panel" aria-labelledby="detail-title" aria-live="polite">
      <header className="detail-header">
        <div className="detail-heading">
          <Heading detail={detail} />
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('detailClose')} title={t('detailClose')} aria-keyshortcuts="Escape">
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div className="detail-body">
        {detail.status === 'loading' && <p className="muted">{t('detailLoading')}</p>}
        {detail.status === 'asset' && <AssetBody asset={detail.asset} />}
        {detail.status === 'work' && <WorkBody work={detail.work} />}
        {detail.status === 'moratorium' && <MoratoriumBody moratorium={detail.moratorium} />}
        {detail.status === 'work' && editable(detail.work.owner) && (
          <DetailEditActions kind="work" id={detail.work.id} onEdit={onEditWork} onDelete={onDeleteWork} />
        )}
        {detail.status === 'moratorium' && editable(detail.moratorium.owner) && (
          <DetailEditActions kind="moratorium" id={detail.moratorium.id} onEdit={onEditMoratorium} onDelete={onDeleteMoratorium} />
        )}
      </div>
    </aside>
  );
}
