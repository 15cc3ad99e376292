import { useRef, useState } from 'preact/hooks';
import { ApiError, postJson, Whoami } from '../api';
import { uploadInChunks } from '../flow-upload';
import { onLinkClick } from '../router';
import { classificationChoices, formatBytes, ruleOf, uuid } from '../settings';

interface Upload {
  id: string;
  file: File;
  sent: number;
  state: 'uploading' | 'starting' | 'submitted' | 'failed';
  sid?: string;
  error?: string;
}

interface Settings {
  profile: string;
  classification: string;
  description: string;
  metadata: Record<string, string>;
}

/** Which field an API refusal concerns, from its words (the page shows it there, unchanged). */
function fieldOf(message: string, metadataNames: string[]): string {
  const metadata = metadataNames.find((name) => message.includes(name));
  if (metadata) return `metadata.${metadata}`;
  if (/classification/i.test(message)) return 'classification';
  if (/profile/i.test(message)) return 'profile';
  if (/description/i.test(message)) return 'description';
  return 'form';
}

export function SubmitPage({ me }: { me: Whoami }) {
  const profiles = Object.entries(me.configuration.submission.profiles);
  const metadataFields = Object.entries(me.configuration.submission.metadata.submit ?? {});
  const classifications = classificationChoices(me);
  const [settings, setSettings] = useState<Settings>({
    profile: profiles[0]?.[0] ?? '',
    classification: classifications[0] ?? me.classification,
    description: '',
    metadata: Object.fromEntries(metadataFields.filter(([, f]) => f.default !== undefined && f.default !== null).map(([name, f]) => [name, String(f.default)])),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const update = (id: string, change: Partial<Upload>) => setUploads((all) => all.map((u) => (u.id === id ? { ...u, ...change } : u)));
  const body = () => ({
    submission_profile: settings.profile || undefined,
    classification: settings.classification,
    description: settings.description || undefined,
    metadata: Object.fromEntries(Object.entries(settings.metadata).filter(([, value]) => value !== '')),
  });
  const refused = (error: unknown) => {
    const message = error instanceof ApiError ? error.message : String(error);
    const field = fieldOf(message, metadataFields.map(([name]) => name));
    setErrors((all) => ({ ...all, [field]: message }));
    return message;
  };

  const submitFile = async (upload: Upload) => {
    try {
      await uploadInChunks(upload.file, upload.id, ({ sent }) => update(upload.id, { sent }));
      update(upload.id, { state: 'starting' });
      const answer = await postJson<{ started: boolean; sid: string }>(`/api/v4/ui/start/${upload.id}/`, { ...body(), filename: upload.file.name });
      update(upload.id, { state: 'submitted', sid: answer.sid });
    } catch (error) {
      update(upload.id, { state: 'failed', error: refused(error) });
    }
  };

  const addFiles = (files: FileList | File[] | null) => {
    if (!files?.length) return;
    setErrors({});
    const added = [...files].map((file): Upload => ({ id: uuid(), file, sent: 0, state: 'uploading' }));
    setUploads((all) => [...added, ...all]);
    added.forEach((upload) => void submitFile(upload));
  };

  const submitReference = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const reference = String(form.get('reference') ?? '').trim();
    if (!reference) return;
    setErrors({});
    const isHash = /^[0-9a-f]{64}$/i.test(reference);
    const { submission_profile, metadata, ...params } = body();
    try {
      const submission = await postJson<{ sid: string }>('/api/v4/submit/', {
        ...(isHash ? { sha256: reference.toLowerCase() } : { url: reference }),
        submission_profile,
        params,
        metadata,
      });
      setUploads((all) => [{ id: uuid(), file: new File([], reference), sent: 0, state: 'submitted', sid: submission.sid }, ...all]);
    } catch (error) {
      const message = refused(error);
      if (fieldOf(message, metadataFields.map(([name]) => name)) === 'form') setErrors((all) => ({ ...all, form: '', reference: message }));
    }
  };

  const fieldError = (key: string) =>
    errors[key] ? (
      <p class="error" id={`${key}-error`} role="alert">
        {errors[key]}
      </p>
    ) : null;
  const described = (key: string, hint?: string) => [hint, errors[key] ? `${key}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <section aria-labelledby="submit-title">
      <h1 id="submit-title">Submit</h1>
      <form class="settings" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="profile">Submission profile</label>
          <select id="profile" value={settings.profile} aria-describedby={described('profile')} onChange={(e) => setSettings({ ...settings, profile: e.currentTarget.value })}>
            {profiles.map(([name, profile]) => (
              <option value={name}>{profile.display_name ?? name}</option>
            ))}
          </select>
          {fieldError('profile')}
        </div>
        <div class="field">
          <label for="classification">Classification</label>
          <select
            id="classification"
            value={settings.classification}
            aria-describedby={described('classification')}
            onChange={(e) => setSettings({ ...settings, classification: e.currentTarget.value })}
          >
            {classifications.map((name) => (
              <option value={name}>{name}</option>
            ))}
          </select>
          {fieldError('classification')}
        </div>
        <div class="field wide">
          <label for="description">Description</label>
          <input id="description" value={settings.description} aria-describedby={described('description')} onInput={(e) => setSettings({ ...settings, description: e.currentTarget.value })} />
          {fieldError('description')}
        </div>
        {metadataFields.map(([name, field]) => (
          <div class="field">
            <label for={`metadata-${name}`}>
              {name}
              {field.required ? ' (required)' : ''}
            </label>
            <input
              id={`metadata-${name}`}
              list={field.suggestions?.length ? `metadata-${name}-suggestions` : undefined}
              required={field.required}
              value={settings.metadata[name] ?? ''}
              aria-describedby={described(`metadata.${name}`, `metadata-${name}-rule`)}
              onInput={(e) => setSettings({ ...settings, metadata: { ...settings.metadata, [name]: e.currentTarget.value } })}
            />
            {field.suggestions?.length ? (
              <datalist id={`metadata-${name}-suggestions`}>
                {field.suggestions.map((value) => (
                  <option value={value} />
                ))}
              </datalist>
            ) : null}
            <p class="hint" id={`metadata-${name}-rule`}>
              {ruleOf(field)}
            </p>
            {fieldError(`metadata.${name}`)}
          </div>
        ))}
      </form>

      <div
        class={`dropzone${dragging ? ' dragging' : ''}`}
        data-testid="dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          addFiles(event.dataTransfer?.files ?? null);
        }}
      >
        <p>Drop files here, or</p>
        <button type="button" onClick={() => picker.current?.click()}>
          Choose files…
        </button>
        <label class="visually-hidden" for="file-picker">
          Files to submit
        </label>
        <input id="file-picker" ref={picker} class="visually-hidden" type="file" multiple tabIndex={-1} onChange={(e) => addFiles(e.currentTarget.files)} />
        <p class="hint">Up to {formatBytes(me.configuration.submission.max_file_size)} each; sent in chunks, resumed after a dropped connection.</p>
      </div>

      <form class="reference" onSubmit={submitReference}>
        <label for="reference">Or submit a sha256{me.configuration.ui.allow_url_submissions ? ' or a URL' : ''}</label>
        <input id="reference" name="reference" aria-describedby={described('reference')} />
        <button type="submit">Submit</button>
        {fieldError('reference')}
      </form>
      {fieldError('form')}

      {uploads.length > 0 && (
        <ul class="uploads" aria-label="Uploads" aria-live="polite">
          {uploads.map((upload) => (
            <li data-state={upload.state}>
              <span class="name">{upload.file.name}</span>
              <progress max={Math.max(upload.file.size, 1)} value={upload.file.size ? upload.sent : upload.state === 'uploading' ? 0 : 1} aria-label={`Upload of ${upload.file.name}`} />
              <span class="state">
                {upload.state === 'submitted' && upload.sid ? (
                  <a href={`/submissions/${upload.sid}`} onClick={onLinkClick}>
                    submitted: open
                  </a>
                ) : upload.state === 'failed' ? (
                  <span class="error">{upload.error}</span>
                ) : (
                  upload.state
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
