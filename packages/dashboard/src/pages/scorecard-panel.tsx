import { ErrorBox } from '../components.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

/** The current release's twelve-factor scorecard (issue 18): every check, its evidence and how to fix it. */
export function ScorecardPanel({ app }: { app: string }) {
  const { client } = useSession();
  const card = usePoll(() => client.call('getScorecard', { params: { app } }), [app], 15_000);
  // Before the first release there is nothing to score: no panel, no error.
  if (card.error?.code === 'NO_RELEASE') return null;
  return (
    <section aria-labelledby="scorecard-title">
      <h2 id="scorecard-title">Twelve-factor scorecard</h2>
      <ErrorBox error={card.error} />
      {card.data === undefined ? <p aria-busy="true">Loading…</p> : (
        <>
          <p class="score-summary">v{card.data.release}: {card.data.summary}</p>
          <div class="table-wrap">
            <table class="scorecard">
              <caption class="sr-only">Scorecard of {app} v{card.data.release}</caption>
              <thead><tr><th scope="col">Factor</th><th scope="col">Check</th><th scope="col">Status</th><th scope="col">Evidence</th><th scope="col">Hint</th></tr></thead>
              <tbody>
                {card.data.checks.map((c) => (
                  <tr key={c.id} data-check={c.id}>
                    <td>{c.factor}</td>
                    <th scope="row" title={c.id}>{c.title}</th>
                    <td><span class={`state score-${c.status}`}>{c.status}</span></td>
                    <td>{c.evidence.length === 0 ? '—' : c.evidence.map((line) => <div key={line}><code>{line}</code></div>)}</td>
                    <td>{c.hint}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
