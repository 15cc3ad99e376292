import { useEffect, useState } from 'preact/hooks';
import { api, Page, SubmissionView, Whoami } from '../api';
import { onLinkClick } from '../router';

const ROWS = 25;
const REFRESH_MS = 2000;

/**
 * The caller's submissions, newest first (GET /api/v4/submission/list/user/<me>/), refreshed every two seconds
 * so states and scores change as the dispatcher ends them. State and score filter the page shown.
 */
export function SubmissionsPage({ me }: { me: Whoami }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<SubmissionView> | null>(null);
  const [error, setError] = useState('');
  const [state, setState] = useState('');
  const [minScore, setMinScore] = useState('');

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = await api<Page<SubmissionView>>(`/api/v4/submission/list/user/${encodeURIComponent(me.username)}/?offset=${offset}&rows=${ROWS}`);
        if (!stopped) (setPage(next), setError(''));
      } catch (failure) {
        if (!stopped) setError((failure as Error).message);
      }
      if (!stopped) timer = setTimeout(load, REFRESH_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [offset, me.username]);

  const shown = (page?.items ?? []).filter((item) => (!state || item.state === state) && (minScore === '' || item.max_score >= Number(minScore)));
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">My submissions</h1>
      <div class="filters">
        <label for="state-filter">State</label>
        <select id="state-filter" value={state} onChange={(e) => setState(e.currentTarget.value)}>
          <option value="">any</option>
          <option value="submitted">running</option>
          <option value="completed">completed</option>
          <option value="failed">failed</option>
        </select>
        <label for="score-filter">Score at least</label>
        <input id="score-filter" type="number" inputMode="numeric" value={minScore} onInput={(e) => setMinScore(e.currentTarget.value)} />
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <table aria-describedby="list-title">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">State</th>
            <th scope="col">Score</th>
            <th scope="col">Classification</th>
            <th scope="col">Submitted</th>
          </tr>
        </thead>
        <tbody aria-live="polite">
          {shown.map((item) => (
            <tr data-sid={item.sid} data-state={item.state}>
              <td>
                <a href={`/submissions/${item.sid}`} onClick={onLinkClick}>
                  {item.files[0]?.name ?? item.sid}
                </a>
                {item.files.length > 1 ? ` (+${item.files.length - 1})` : ''}
              </td>
              <td class={`state ${item.state}`}>{item.state === 'submitted' ? 'running' : item.state}</td>
              <td class="score">{item.max_score}</td>
              <td>{item.classification}</td>
              <td>
                <time dateTime={item.times.submitted}>{new Date(item.times.submitted).toLocaleString()}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && (
        <nav class="paging" aria-label="Pages">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - ROWS))}>
            Newer
          </button>
          <span>
            {page.total === 0 ? 'none' : `${offset + 1}–${Math.min(offset + ROWS, page.total)} of ${page.total}`}
          </span>
          <button type="button" disabled={offset + ROWS >= page.total} onClick={() => setOffset(offset + ROWS)}>
            Older
          </button>
        </nav>
      )}
    </section>
  );
}
