import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

/** Upload a certificate chain and its private key (PEM). */
export function CertificateUpload({ app, onDone }: { app: string; onDone: () => void }) {
  const { client } = useSession();
  const [certificate, setCertificate] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const action = useAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await client.call('addCert', { params: { app }, body: { certificate, privateKey } });
      setCertificate('');
      setPrivateKey('');
      onDone();
    });
  };
  return (
    <form aria-label="Upload a certificate" onSubmit={submit}>
      <label>Certificate chain (PEM)<textarea rows={4} spellcheck={false} required value={certificate} onInput={(e) => setCertificate((e.currentTarget as HTMLTextAreaElement).value)} /></label>
      <label>Private key (PEM)<textarea rows={4} spellcheck={false} required autoComplete="off" value={privateKey} onInput={(e) => setPrivateKey((e.currentTarget as HTMLTextAreaElement).value)} /></label>
      <ErrorBox error={action.error} />
      <div class="actions"><button type="submit" class="primary" disabled={action.busy}>Upload certificate</button></div>
    </form>
  );
}

/** HTTPS redirect and the HSTS max-age (empty: no header). */
export function HttpsSettingsForm({ app, manage }: { app: string; manage: boolean }) {
  const { client } = useSession();
  const https = usePoll(() => client.call('getHttps', { params: { app } }), [app], null);
  const [mode, setMode] = useState('http');
  const [hsts, setHsts] = useState('');
  const action = useAction();
  useEffect(() => {
    if (!https.data) return;
    setMode(https.data.mode);
    setHsts(https.data.hstsMaxAge === null ? '' : String(https.data.hstsMaxAge));
  }, [https.data]);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await client.call('updateHttps', { params: { app }, body: { mode, hstsMaxAge: hsts.trim() === '' ? null : Number(hsts) } });
      https.reload();
    });
  };
  return (
    <>
      <h2>HTTPS</h2>
      <ErrorBox error={https.error ?? action.error} />
      <form class="inline" aria-label="HTTPS settings" onSubmit={submit}>
        <label>Plain HTTP requests
          <select value={mode} disabled={!manage} onChange={(e) => setMode((e.currentTarget as HTMLSelectElement).value)}>
            <option value="http">served as they are</option><option value="redirect">redirected to HTTPS</option>
          </select>
        </label>
        <label>HSTS max-age (seconds; empty: no header)<input type="number" min={0} value={hsts} readOnly={!manage} onInput={(e) => setHsts((e.currentTarget as HTMLInputElement).value)} /></label>
        {manage ? <button type="submit" disabled={action.busy}>Save HTTPS settings</button> : null}
      </form>
    </>
  );
}
