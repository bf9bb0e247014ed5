/**
 * The rule matrix editor (issue 6), for administrators: the default distance and tolerance, a
 * distance (m) and tolerance (days) per pair of systems (empty = the default), the repeat-opening
 * horizon, the coupling years, the re-paving price and the lifetimes per system and material with
 * their sources. Saving sends only what differs from the rules in force; the server recomputes.
 */
import type { AnalysisRules, PairRule } from '@model/analysis-rules.ts';
import { pairKey } from '@model/analysis-rules.ts';
import { SYSTEMS, type SystemCode } from '@model/systems.ts';
import { useEffect, useState } from 'react';
import { getRules, putRules } from '../../api/analysis-endpoints.ts';
import { describeError, type ApiClient } from '../../api/client.ts';
import { useI18n } from '../../i18n/context.ts';
import { ModalDialog } from '../auth/ModalDialog.tsx';

/** The systems a pair rule is worth setting for (networks, green and mobility). */
const MATRIX: readonly SystemCode[] = ['riool_vrijverval', 'riool_pers', 'drinkwater', 'elektriciteit_ls', 'elektriciteit_ms', 'gas_ld', 'warmte', 'telecom', 'groen', 'mobiliteit'];

type Pairs = Record<string, PairRule>;

export function RulesDialog({ api, onClose, onSaved }: { api: ApiClient; onClose: () => void; onSaved: () => void }) {
  const { t, language } = useI18n();
  const [rules, setRules] = useState<AnalysisRules | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    getRules(api, abort.signal).then(setRules, (err: unknown) => setMessage(describeError(err)));
    return () => abort.abort();
  }, [api]);
  const label = (c: SystemCode): string => {
    const s = SYSTEMS.find((x) => x.code === c);
    return (language === 'nl' ? s?.labelNl : s?.labelEn) ?? c;
  };
  const setPair = (a: SystemCode, b: SystemCode, field: keyof PairRule, raw: string): void => {
    if (!rules) return;
    const key = pairKey(a, b);
    const pairs: Pairs = { ...rules.pairs };
    const current = pairs[key] ?? rules.pair;
    if (raw === '') delete pairs[key];
    else pairs[key] = { ...current, [field]: Number(raw) };
    setRules({ ...rules, pairs });
  };
  const save = async (): Promise<void> => {
    if (!rules) return;
    setBusy(true);
    try {
      setRules(await putRules(api, {
        pair: rules.pair, pairs: rules.pairs, repeatDays: rules.repeatDays, couplingYears: rules.couplingYears,
        repavingPricePerM2: rules.repavingPricePerM2, lifetimes: rules.lifetimes,
      }));
      setMessage(t('rulesSaved'));
      onSaved();
    } catch (err) {
      setMessage(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const num = (v: number, on: (n: number) => void, testId: string, step = 1) => (
    <input type="number" min={0} step={step} value={v} data-testid={testId} onChange={(e) => on(Number(e.target.value))} />
  );
  return (
    <ModalDialog name="rules" title={t('rulesTitle')} intro={rules ? t('rulesIntro', { distance: rules.pair.distanceM, days: rules.pair.combineDays }) : ''} closeLabel={t('decisionCancel')} testId="rules-dialog" closeTestId="rules-close" onClose={onClose}>
      {!rules && !message && <p className="muted">{t('analysisLoading')}</p>}
      {rules && (
        <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <div className="rules-grid">
            <label>{t('rulesDefaultDistance')} {num(rules.pair.distanceM, (n) => setRules({ ...rules, pair: { ...rules.pair, distanceM: n } }), 'rules-distance')}</label>
            <label>{t('rulesDefaultDays')} {num(rules.pair.combineDays, (n) => setRules({ ...rules, pair: { ...rules.pair, combineDays: n } }), 'rules-days')}</label>
            <label>{t('rulesRepeatDays')} {num(rules.repeatDays, (n) => setRules({ ...rules, repeatDays: n }), 'rules-repeat')}</label>
            <label>{t('rulesCouplingYears')} {num(rules.couplingYears, (n) => setRules({ ...rules, couplingYears: n }), 'rules-coupling')}</label>
            <label>{t('rulesPrice')} {num(rules.repavingPricePerM2, (n) => setRules({ ...rules, repavingPricePerM2: n }), 'rules-price', 5)}</label>
          </div>
          <div className="rules-scroll">
            <table className="rules-table" data-testid="rules-matrix">
              <thead>
                <tr>
                  <th scope="col" />
                  {MATRIX.map((c) => <th key={c} scope="col" title={label(c)}>{label(c).slice(0, 10)}</th>)}
                </tr>
              </thead>
              <tbody>
                {MATRIX.map((a, i) => (
                  <tr key={a}>
                    <th scope="row">{label(a)}</th>
                    {MATRIX.map((b, j) => (
                      <td key={b}>
                        {j >= i && (
                          <input
                            type="number" min={0} step={1} placeholder={String(rules.pair.distanceM)}
                            aria-label={`${t('rulesPairLabel', { a: label(a), b: label(b) })}: ${t('rulesDefaultDistance')}`}
                            data-testid={`rules-pair-${pairKey(a, b).replace('|', '-')}`}
                            value={rules.pairs[pairKey(a, b)]?.distanceM ?? ''}
                            onChange={(e) => setPair(a, b, 'distanceM', e.target.value)}
                          />
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 className="analysis-heading">{t('rulesLifetimes')}</h3>
          <div className="rules-scroll">
            <table className="rules-table">
              <thead><tr><th scope="col" /><th scope="col">{t('rulesMaterial')}</th><th scope="col">{t('rulesYears')}</th><th scope="col">{t('rulesSource')}</th></tr></thead>
              <tbody>
                {rules.lifetimes.map((l, i) => (
                  <tr key={`${l.system}-${l.material}`}>
                    <td>{label(l.system)}</td>
                    <td>{l.material}</td>
                    <td>{num(l.years, (n) => setRules({ ...rules, lifetimes: rules.lifetimes.map((x, k) => (k === i ? { ...x, years: n } : x)) }), `rules-life-${i}`)}</td>
                    <td className="muted">{l.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit" className="edit-primary" disabled={busy} data-testid="rules-save">{t('rulesSave')}</button>
        </form>
      )}
      {message && <p role="status" data-testid="rules-message">{message}</p>}
    </ModalDialog>
  );
}
