import { useState } from 'preact/hooks';
import type { Certificate } from '@dozen/contracts';
import { ago, Confirm, ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { CertificateUpload, HttpsSettingsForm } from './tls-forms.js';

/** Custom domains, certificates, automatic certificates and HTTPS settings; the controls for `manage` only. */
export function Domains({ app, may }: { app: string; may: (permission: string) => boolean }) {
  const { client } = useSession();
  const domains = usePoll(() => client.call('listDomains', { params: { app } }), [app], 5000);
  const acm = usePoll(() => client.call('getAcm', { params: { app } }), [app], 5000);
  const [hostname, setHostname] = useState('');
  const action = useAction();
  const manage = may('manage');
  const states = new Map((acm.data?.domains ?? []).map((d) => [d.hostname, d]));
  const add = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await client.call('addDomain', { params: { app }, body: { hostname: hostname.trim() } });
      setHostname('');
      domains.reload();
    });
  };
  const remove = (name: string) => void action.run(async () => {
    await client.call('removeDomain', { params: { app, hostname: name } });
    domains.reload();
  });
  const toggleAcm = () => void action.run(async () => {
    if (acm.data?.enabled) await client.call('disableAcm', { params: { app } });
    else await client.call('enableAcm', { params: { app } });
    acm.reload();
  });
  return (
    <>
      <h2>Domains</h2>
      <ErrorBox error={domains.error ?? acm.error ?? action.error} />
      {domains.data?.length === 0 ? <p>No custom domains.</p> : null}
      <ul class="releases domains">
        {(domains.data ?? []).map((d) => {
          const auto = states.get(d.hostname);
          return (
            <li key={d.hostname} data-domain={d.hostname}>
              <strong>{d.hostname}</strong> <span class="badge">{d.kind}</span> <span class="when">{ago(d.createdAt)}</span>
              {auto ? <span class={`state state-${auto.state}`} title={auto.reason ?? undefined}>certificate {auto.state}</span> : null}
              {manage ? <button type="button" disabled={action.busy} aria-label={`Remove domain ${d.hostname}`} onClick={() => remove(d.hostname)}>Remove</button> : null}
            </li>
          );
        })}
      </ul>
      {manage ? (
        <form class="inline" aria-label="Add a domain" onSubmit={add}>
          <label>Hostname<input value={hostname} required placeholder="www.example.com or *.example.com" onInput={(e) => setHostname((e.currentTarget as HTMLInputElement).value)} /></label>
          <button type="submit" class="primary" disabled={action.busy}>Add domain</button>
        </form>
      ) : null}
      <h2>Automatic certificates</h2>
      <p>{acm.data === undefined ? '…' : acm.data.enabled ? 'On: every custom domain gets a certificate by ACME (HTTP-01), renewed before expiry.' : 'Off.'}</p>
      {manage && acm.data ? <button type="button" aria-pressed={acm.data.enabled} disabled={action.busy} onClick={toggleAcm}>{acm.data.enabled ? 'Turn automatic certificates off' : 'Turn automatic certificates on'}</button> : null}
      <Certificates app={app} manage={manage} />
      <HttpsSettingsForm app={app} manage={manage} />
    </>
  );
}

function Certificates({ app, manage }: { app: string; manage: boolean }) {
  const { client } = useSession();
  const certs = usePoll(() => client.call('listCerts', { params: { app } }), [app], 5000);
  const [removing, setRemoving] = useState<Certificate | null>(null);
  const action = useAction();
  const remove = () => void action.run(async () => {
    await client.call('removeCert', { params: { app, cert: removing!.name } });
    setRemoving(null);
    certs.reload();
  });
  return (
    <>
      <h2>Certificates</h2>
      <ErrorBox error={certs.error ?? action.error} />
      {removing ? (
        <Confirm title={`Remove certificate ${removing.name}`} busy={action.busy} confirmLabel="Remove" onConfirm={remove} onCancel={() => setRemoving(null)}>
          <p>It stops being served for {removing.domains.join(', ') || 'no domain'} and is deleted.</p>
        </Confirm>
      ) : null}
      {certs.data?.length === 0 ? <p>No certificates.</p> : null}
      <ul class="releases certs">
        {(certs.data ?? []).map((c) => (
          <li key={c.name} data-cert={c.name}>
            <strong>{c.name}</strong> <span class="badge">{c.source}</span> <span>{c.names.join(', ')}</span>
            <span class="when">expires {c.notAfter.slice(0, 10)} · issuer {c.issuer}</span>
            <span>serves {c.domains.join(', ') || 'no domain yet'}</span>
            {manage ? <button type="button" disabled={action.busy} aria-label={`Remove certificate ${c.name}`} onClick={() => setRemoving(c)}>Remove</button> : null}
          </li>
        ))}
      </ul>
      {manage ? <CertificateUpload app={app} onDone={certs.reload} /> : null}
    </>
  );
}
