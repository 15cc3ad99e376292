import { useEffect, useState } from 'preact/hooks';
import { api, SubmissionView, TreeNode, Whoami } from '../api';
import { formatBytes } from '../settings';

interface Tree {
  tree: Record<string, TreeNode>;
  classification: string;
  filtered: boolean;
  partial: boolean;
}

interface Summary {
  heuristics: Record<string, [string, string][]>;
  tags: Record<string, Record<string, [string, string, boolean, string][]>>;
  classification: string;
  filtered: boolean;
  partial: boolean;
}

interface Section {
  title_text: string;
  body: unknown;
  body_format: string;
  depth: number;
  heuristic: { heur_id: string; name: string; score: number } | null;
  tags: { type: string; value: string }[];
}

interface FileResults {
  file_info: { sha256: string; type: string; size: number; md5: string; sha1: string; magic?: string };
  results: { key: string; response: { service_name: string }; result: { score: number; sections: Section[] } }[];
  errors: { key: string; response: { service_name: string; message: string; status: string } }[];
  tags: Record<string, [string, string, boolean, string][]>;
  heuristics: Record<string, [string, string][]>;
}

const REFRESH_MS = 1500;
const LEVELS = ['malicious', 'suspicious', 'info', 'safe'];

/**
 * One submission: its state and metadata, the file tree with extracted children (GET tree/<sid>/), its
 * heuristics and tags as the summary groups them (GET summary/<sid>/), and one file's results by service with
 * downloads. Everything shown is what the API answered for this user: a submission it hides is not shown.
 */
export function SubmissionPage({ me, sid }: { me: Whoami; sid: string }) {
  const [submission, setSubmission] = useState<SubmissionView | null>(null);
  const [tree, setTree] = useState<Tree | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<{ sha256: string; name: string } | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setSubmission(null);
    setTree(null);
    setSummary(null);
    setError('');
    const base = encodeURIComponent(sid);
    const load = async () => {
      try {
        const current = await api<SubmissionView>(`/api/v4/submission/${base}/`);
        if (stopped) return;
        setSubmission(current);
        if (current.state === 'submitted') {
          timer = setTimeout(load, REFRESH_MS);
          return;
        }
        const [nextTree, nextSummary] = await Promise.all([api<Tree>(`/api/v4/submission/tree/${base}/`), api<Summary>(`/api/v4/submission/summary/${base}/`)]);
        if (!stopped) (setTree(nextTree), setSummary(nextSummary));
      } catch (failure) {
        if (!stopped) setError((failure as Error).message);
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [sid]);

  if (error) {
    return (
      <section aria-labelledby="submission-title">
        <h1 id="submission-title">Submission</h1>
        <p class="error" role="alert" data-testid="submission-error">
          {error}
        </p>
      </section>
    );
  }
  if (!submission) return <p class="loading">Loading…</p>;

  return (
    <section aria-labelledby="submission-title" data-sid={submission.sid}>
      <h1 id="submission-title">{submission.files[0]?.name ?? submission.sid}</h1>
      <dl class="facts">
        <dt>State</dt>
        <dd data-testid="state">{submission.state === 'submitted' ? 'running' : submission.state}</dd>
        <dt>Score</dt>
        <dd data-testid="score">{submission.max_score}</dd>
        <dt>Classification</dt>
        <dd>{submission.classification}</dd>
        <dt>Submitted</dt>
        <dd>{new Date(submission.times.submitted).toLocaleString()}</dd>
        <dt>Submission id</dt>
        <dd>
          <code>{submission.sid}</code>
        </dd>
        {Object.entries(submission.metadata).map(([key, value]) => (
          <>
            <dt>{key}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>
      {submission.state === 'submitted' && <p aria-live="polite">Analysis running…</p>}

      {tree && (
        <div class="columns">
          <nav class="tree" aria-labelledby="tree-title">
            <h2 id="tree-title">Files</h2>
            {tree.filtered && <p class="hint">Some files are above your clearance and are not shown.</p>}
            <FileTree nodes={tree.tree} selected={selected?.sha256} onSelect={setSelected} />
          </nav>
          <div class="details">
            {summary && <SummaryView summary={summary} />}
            {submission.errors.length > 0 && (
              <>
                <h2>Errors</h2>
                <ul class="errors">
                  {submission.errors.map((key) => (
                    <li>
                      <code>{key}</code>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {selected && <FileView me={me} sid={submission.sid} file={selected} />}
          </div>
        </div>
      )}
    </section>
  );
}

function FileTree({ nodes, selected, onSelect }: { nodes: Record<string, TreeNode>; selected?: string; onSelect: (file: { sha256: string; name: string }) => void }) {
  return (
    <ul>
      {Object.values(nodes).map((node) => (
        <li data-sha256={node.sha256}>
          <button type="button" aria-pressed={selected === node.sha256} onClick={() => onSelect({ sha256: node.sha256, name: node.name[0] })}>
            <span class="name">{node.name[0]}</span> <span class="type">{node.type}</span> <span class={`score s${Math.sign(node.score)}`}>{node.score}</span>
          </button>
          {Object.keys(node.children).length > 0 && <FileTree nodes={node.children} selected={selected} onSelect={onSelect} />}
        </li>
      ))}
    </ul>
  );
}

function HeuristicList({ heuristics, label }: { heuristics: Record<string, [string, string][]>; label: string }) {
  const levels = Object.keys(heuristics).sort((a, b) => LEVELS.indexOf(a) - LEVELS.indexOf(b));
  if (levels.every((level) => heuristics[level].length === 0)) return <p class="hint">No heuristics raised.</p>;
  return (
    <ul class="heuristics" aria-label={label}>
      {levels.flatMap((level) =>
        heuristics[level].map(([id, name]) => (
          <li data-heur-id={id} data-level={level} class={`level ${level}`}>
            <span class="badge">{level}</span> <code>{id}</code> {name}
          </li>
        )),
      )}
    </ul>
  );
}

function TagTable({ tags, label }: { tags: Record<string, [string, string, boolean, string][]>; label: string }) {
  const types = Object.keys(tags).filter((type) => tags[type].length > 0);
  if (types.length === 0) return <p class="hint">No tags.</p>;
  return (
    <table class="tags" aria-label={label}>
      <tbody>
        {types.map((type) => (
          <tr>
            <th scope="row">{type}</th>
            <td>
              {tags[type].map(([value, verdict]) => (
                <span class={`tag ${verdict}`}>{value}</span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SummaryView({ summary }: { summary: Summary }) {
  return (
    <>
      <h2>Heuristics</h2>
      <HeuristicList heuristics={summary.heuristics} label="Heuristics of the submission" />
      {Object.entries(summary.tags).map(([group, tags]) =>
        Object.keys(tags).length ? (
          <>
            <h3>Tags: {group}</h3>
            <TagTable tags={tags} label={`Tags: ${group}`} />
          </>
        ) : null,
      )}
    </>
  );
}

function sectionBody(section: Section): string {
  if (section.body === null || section.body === undefined) return '';
  return typeof section.body === 'string' ? section.body : JSON.stringify(section.body, null, 2);
}

function FileView({ me, sid, file }: { me: Whoami; sid: string; file: { sha256: string; name: string } }) {
  const [results, setResults] = useState<FileResults | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setResults(null);
    setError('');
    api<FileResults>(`/api/v4/submission/${encodeURIComponent(sid)}/file/${file.sha256}/`)
      .then(setResults)
      .catch((failure) => setError((failure as Error).message));
  }, [sid, file.sha256]);

  const download = (encoding: string, extra = '') =>
    `/api/v4/file/download/${file.sha256}/?encoding=${encoding}&name=${encodeURIComponent(file.name)}&sid=${encodeURIComponent(sid)}${extra}`;
  const zipPassword = me.settings.default_zip_password || 'infected';

  return (
    <article class="file" aria-labelledby="file-title" data-sha256={file.sha256}>
      <h2 id="file-title">{file.name}</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {me.roles.includes('file_download') && (
        <p class="downloads">
          Download:{' '}
          <a href={download('cart')} download data-testid="download-cart">
            CaRT
          </a>{' '}
          ·{' '}
          <a href={download('zip', `&password=${encodeURIComponent(zipPassword)}`)} download>
            zip (password “{zipPassword}”)
          </a>{' '}
          ·{' '}
          <a href={download('raw')} download>
            raw (live malware)
          </a>
        </p>
      )}
      {results && (
        <>
          <dl class="facts">
            <dt>Type</dt>
            <dd>{results.file_info.type}</dd>
            <dt>Size</dt>
            <dd>{formatBytes(results.file_info.size)}</dd>
            <dt>SHA-256</dt>
            <dd>
              <code>{results.file_info.sha256}</code>
            </dd>
            <dt>MD5</dt>
            <dd>
              <code>{results.file_info.md5}</code>
            </dd>
          </dl>
          <h3>Heuristics of this file</h3>
          <HeuristicList heuristics={results.heuristics} label="Heuristics of the file" />
          <h3>Tags of this file</h3>
          <TagTable tags={results.tags} label="Tags of the file" />
          {results.results.map((result) => (
            <section class="service" aria-label={`${result.response.service_name} result`} data-service={result.response.service_name}>
              <h3>
                {result.response.service_name} <span class="score">score {result.result.score}</span>
              </h3>
              {result.result.sections.map((section) => (
                <div class="section" style={{ marginLeft: `${section.depth}rem` }}>
                  <h4>
                    {section.title_text}
                    {section.heuristic && (
                      <span class="heuristic">
                        {' '}
                        · {section.heuristic.heur_id} {section.heuristic.name} ({section.heuristic.score})
                      </span>
                    )}
                  </h4>
                  {sectionBody(section) && <pre>{sectionBody(section)}</pre>}
                  {section.tags.length > 0 && (
                    <p class="section-tags">
                      {section.tags.map((tag) => (
                        <span class="tag">
                          {tag.type}: {tag.value}
                        </span>
                      ))}
                    </p>
                  )}
                </div>
              ))}
            </section>
          ))}
          {results.errors.length > 0 && (
            <>
              <h3>Service errors</h3>
              <ul class="errors">
                {results.errors.map((failure) => (
                  <li>
                    {failure.response.service_name}: {failure.response.status} — {failure.response.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </article>
  );
}
