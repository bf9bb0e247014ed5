/**
 * The explainable cards of the analysis panel: one per finding (what, where, who, which rule, the
 * numbers) and one per bundle (its metrics), each with the decision on it. A click on the card
 * (or Enter on its button) shows the works on the map and the timeline.
 */
import { getSystem, isSystemCode } from '@model/systems.ts';
import type { ReactNode } from 'react';
import type { ApiBundle, ApiFinding, DecisionBody } from '../../api/analysis-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import { DecisionControls } from './DecisionControls.tsx';
import { explainBundle, explainFinding, type Explanation, type WorkLabels } from './explain.ts';

export const cardTestId = (id: string): string => id.replace(/[^a-z0-9]+/gi, '-');

interface Common {
  labels: WorkLabels;
  canDecide: boolean;
  busy: boolean;
  selected: boolean;
  onShow: (works: readonly number[]) => void;
  onDecide: (subject: string, body: DecisionBody, version: number | null) => Promise<boolean>;
  onUndo: (subject: string, version: number) => Promise<void>;
}

function Card({ kind, id, works, e, selected, onShow, children }: { kind: string; id: string; works: readonly number[]; e: Explanation; selected: boolean; onShow: (w: readonly number[]) => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <article className={`analysis-card analysis-${kind}${selected ? ' selected' : ''}`} data-testid={`${kind === 'bundle' ? 'bundle' : 'finding'}-card-${cardTestId(id)}`}>
      <header className="analysis-card-head">
        <button type="button" className="analysis-card-title" title={t('cardZoom')} onClick={() => onShow(works)}>
          <span className={`analysis-type type-${kind}`}>{e.title}</span>
        </button>
        <span className="muted analysis-card-id">{id}</span>
      </header>
      {e.sentences.map((s) => (
        <p key={s} className="analysis-sentence">{s}</p>
      ))}
      {e.who.length > 0 && (
        <p className="analysis-who">
          <span className="muted">{t('cardWho')}: </span>
          {e.who.join(', ')}
        </p>
      )}
      {e.rule && (
        <p className="analysis-rule muted">
          {t('cardRule')}: <code>{e.rule}</code>
        </p>
      )}
      {children}
    </article>
  );
}

export function FindingCard({ finding, ...c }: Common & { finding: ApiFinding }) {
  const { t, language } = useI18n();
  const systemLabel = (code: string): string => (isSystemCode(code) ? (language === 'nl' ? getSystem(code).labelNl : getSystem(code).labelEn).toLowerCase() : code);
  const e = explainFinding(finding, c.labels, t, language, systemLabel);
  return (
    <Card kind={finding.type} id={finding.id} works={finding.works} e={e} selected={c.selected} onShow={c.onShow}>
      <DecisionControls
        subject={finding.id} decision={finding.decision} canDecide={c.canDecide} acceptable={finding.type === 'combine'} busy={c.busy}
        onDecide={c.onDecide} onUndo={c.onUndo}
      />
    </Card>
  );
}

export function BundleCard({ bundle, ...c }: Common & { bundle: ApiBundle }) {
  const { t, language } = useI18n();
  const e = explainBundle(bundle, t, language);
  const titles = bundle.works.map((w) => c.labels.get(w)?.title ?? `#${w}`);
  return (
    <Card kind="bundle" id={bundle.id} works={bundle.works} e={{ ...e, sentences: [titles.join(' + '), ...e.sentences] }} selected={c.selected} onShow={c.onShow}>
      <DecisionControls subject={bundle.id} decision={bundle.decision} canDecide={c.canDecide} acceptable busy={c.busy} onDecide={c.onDecide} onUndo={c.onUndo} />
    </Card>
  );
}
