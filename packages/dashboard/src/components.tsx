import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { toShownError, type ShownError } from './api.js';

/** An API error as the catalogue has it: code, message, hint. */
export function ErrorBox({ error }: { error: ShownError | null }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <strong class="error-code">{error.code}</strong> <span class="error-message">{error.message}</span>
      <p class="error-hint">{error.hint}</p>
    </div>
  );
}

/** A button that runs an API call, shows its error, and is disabled while it runs. */
export function useAction(): { busy: boolean; error: ShownError | null; run: (action: () => Promise<unknown>) => Promise<boolean>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(toShownError(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}

/** A confirmation panel: what will happen, then Confirm or Cancel. */
export function Confirm(props: { title: string; children: ComponentChildren; onConfirm: () => void; onCancel: () => void; busy?: boolean; confirmLabel?: string }) {
  return (
    <section class="confirm" role="dialog" aria-modal="false" aria-label={props.title}>
      <h3>{props.title}</h3>
      {props.children}
      <div class="actions">
        <button type="button" class="primary" disabled={props.busy} onClick={props.onConfirm}>{props.confirmLabel ?? 'Confirm'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </section>
  );
}

interface PlanAction {
  action: string;
  process: string;
  release: number;
  reason: string | null;
}

/** A rollout plan (dry run): each step's starts, restarts and stops. */
export function PlanSteps({ steps }: { steps: PlanAction[][] }) {
  if (steps.length === 0) return <p>No process changes.</p>;
  return (
    <ol class="plan">
      {steps.map((step, i) => (
        <li key={i}>{step.map((a) => `${a.action} ${a.process} (v${a.release}${a.reason ? `, ${a.reason}` : ''})`).join('; ')}</li>
      ))}
    </ol>
  );
}

export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function duration(iso: string | null, now = Date.now()): string {
  return iso ? ago(iso, now).replace(' ago', '') : '—';
}

export function mib(bytes: number | null): string {
  return bytes === null ? '—' : `${(bytes / 1048576).toFixed(1)} MiB`;
}
