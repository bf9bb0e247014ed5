/**
 * The decision on a finding or bundle, on its card: the decision shown to the organisations
 * involved, and for area managers Accept (combinations only) / Reject (with a reason) / Defer,
 * and undo of a decision.
 */
import { useId, useState } from 'react';
import type { ApiDecision, DecisionBody } from '../../api/analysis-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import type { MessageKey } from '../../i18n/index.ts';

const LABEL: Readonly<Record<NonNullable<ApiDecision>['decision'], MessageKey>> = {
  accepted: 'decisionAccepted', rejected: 'decisionRejected', deferred: 'decisionDeferred',
};

export interface DecisionControlsProps {
  subject: string;
  decision: ApiDecision;
  /** Area managers and administrators decide; others only see the decision. */
  canDecide: boolean;
  /** Combine findings and bundles can be accepted as a joint project. */
  acceptable: boolean;
  busy: boolean;
  onDecide: (subject: string, body: DecisionBody, version: number | null) => Promise<boolean>;
  onUndo: (subject: string, version: number) => Promise<void>;
}

export function DecisionControls({ subject, decision, canDecide, acceptable, busy, onDecide, onUndo }: DecisionControlsProps) {
  const { t } = useI18n();
  const reasonId = useId();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const testId = subject.replace(/[^a-z0-9]+/gi, '-');
  return (
    <div className="decision" data-testid={`decision-${testId}`}>
      {decision && (
        <p className={`decision-state decision-${decision.decision}`} data-testid={`decision-state-${testId}`}>
          <strong>{decision.organisation ? t('decisionBy', { decision: t(LABEL[decision.decision]), organisation: decision.organisation }) : t(LABEL[decision.decision])}</strong>
          {decision.reason && <span> — {decision.reason}</span>}
          {decision.jointProjectId !== null && <span className="muted"> · {t('decisionJointProject', { id: decision.jointProjectId })}</span>}
        </p>
      )}
      {canDecide && !rejecting && (
        <div className="decision-buttons">
          {acceptable && decision?.decision !== 'accepted' && (
            <button type="button" disabled={busy} data-testid={`decide-accept-${testId}`} onClick={() => void onDecide(subject, { decision: 'accepted' }, decision?.version ?? null)}>
              {t('decisionAccept')}
            </button>
          )}
          {decision?.decision !== 'rejected' && (
            <button type="button" disabled={busy} data-testid={`decide-reject-${testId}`} onClick={() => setRejecting(true)}>
              {t('decisionReject')}
            </button>
          )}
          {decision?.decision !== 'deferred' && (
            <button type="button" disabled={busy} data-testid={`decide-defer-${testId}`} onClick={() => void onDecide(subject, { decision: 'deferred' }, decision?.version ?? null)}>
              {t('decisionDefer')}
            </button>
          )}
          {decision && (
            <button type="button" className="small-button" disabled={busy} data-testid={`decide-undo-${testId}`} onClick={() => void onUndo(subject, decision.version)}>
              {t('decisionUndo')}
            </button>
          )}
        </div>
      )}
      {canDecide && rejecting && (
        <form
          className="decision-reason"
          onSubmit={(e) => {
            e.preventDefault();
            void onDecide(subject, { decision: 'rejected', reason: reason.trim() }, decision?.version ?? null).then((ok) => {
              if (ok) {
                setRejecting(false);
                setReason('');
              }
            });
          }}
        >
          <label htmlFor={reasonId}>{t('decisionReasonLabel')}</label>
          <input id={reasonId} data-testid={`decide-reason-${testId}`} value={reason} minLength={3} maxLength={1000} required onChange={(e) => setReason(e.target.value)} />
          <button type="submit" disabled={busy || reason.trim().length < 3} data-testid={`decide-reject-save-${testId}`}>
            {t('decisionSave')}
          </button>
          <button type="button" onClick={() => setRejecting(false)}>
            {t('decisionCancel')}
          </button>
        </form>
      )}
    </div>
  );
}
