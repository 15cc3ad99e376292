import { isSecretName, REDACTED, redactSecretFields, redactSecrets, redactUrl } from './redact-secrets';

// A Threat Grid api_key as Hopper issues it: <user>:<key name>:<secret>.
const TG_KEY = 'alice:tg:Zx9_secret-VALUE';

describe('redactUrl', () => {
  it("redacts a Threat Grid api_key in the query (pythreatgrid's ThreatGrid.get_sample: ?api_key=…), whole", () => {
    expect(redactUrl(`/api/v2/samples/abc?api_key=${TG_KEY}&limit=5`)).toBe(`/api/v2/samples/abc?api_key=${REDACTED}&limit=5`);
    expect(redactUrl(`/api/v2/samples?limit=5&api_key=${encodeURIComponent(TG_KEY)}`)).toBe(`/api/v2/samples?limit=5&api_key=${REDACTED}`);
  });

  it("redacts Threat Grid's &-started query and a percent-encoded name, as Express reads them", () => {
    expect(redactUrl(`/api/v2/samples&api_key=${TG_KEY}`)).toBe(`/api/v2/samples&api_key=${REDACTED}`);
    expect(redactUrl(`/api/v2/samples?api%5Fkey=${TG_KEY}`)).toBe(`/api/v2/samples?api%5Fkey=${REDACTED}`);
  });

  it('redacts apikey, password and session wherever they are in the query, and keeps everything else', () => {
    expect(redactUrl('/api/v4/auth/login/?user=bob&apikey=k:s&password=p%40ss&session=abc&q=1#frag')).toBe(
      `/api/v4/auth/login/?user=bob&apikey=${REDACTED}&password=${REDACTED}&session=${REDACTED}&q=1#frag`,
    );
    expect(redactUrl('/api/v4/submission/list/?offset=0&rows=10')).toBe('/api/v4/submission/list/?offset=0&rows=10');
    expect(redactUrl('/api/v4/submission/')).toBe('/api/v4/submission/');
  });
});

describe('redactSecrets', () => {
  it('redacts <user>:<key name>:<secret> keys after api_key=, in Bearer tokens and in X-APIKEY header lines', () => {
    const text = `GET /api/v2/samples?api_key=${TG_KEY} Authorization: Bearer ${TG_KEY}\nX-APIKEY: tg:Zx9_secret-VALUE`;
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain('Zx9_secret-VALUE');
    expect(redacted).toBe(`GET /api/v2/samples?api_key=${REDACTED} Authorization: ${REDACTED}\nX-APIKEY: ${REDACTED}`);
    expect(redactSecrets(`retrying with Bearer ${TG_KEY} now`)).toBe(`retrying with Bearer ${REDACTED} now`);
  });

  it('redacts urlencoded bodies (a Threat Grid form with api_key, a login form with password)', () => {
    expect(redactSecrets(`api_key=${encodeURIComponent(TG_KEY)}&sample_id=abc`)).toBe(`api_key=${REDACTED}&sample_id=abc`);
    expect(redactSecrets('user=bob&password=hunter%202&new_password=x')).toBe(`user=bob&password=${REDACTED}&new_password=${REDACTED}`);
  });

  it('redacts a multipart form field (Threat Grid scripts send api_key as one), raw or inside a JSON log line', () => {
    const part = `--b\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n${TG_KEY}\r\n--b\r\nContent-Disposition: form-data; name="tags"\r\n\r\nx\r\n`;
    expect(redactSecrets(part)).toBe(part.replace(TG_KEY, REDACTED));
    const line = JSON.stringify({ msg: `bad body: ${part}` });
    expect(JSON.parse(redactSecrets(line)).msg).toBe(`bad body: ${part.replace(TG_KEY, REDACTED)}`);
  });

  it('redacts JSON bodies: apikey, password, api_key, a number or an array value too, and keeps the other fields', () => {
    const body = JSON.stringify({ user: 'bob', apikey: 'k:s3cr3t', password: 'hunter2', nested: { api_key: TG_KEY, pin: 1 }, passwd: 1234, api_keys_seen: 3 });
    const redacted = redactSecrets(body);
    expect(JSON.parse(redacted)).toEqual({
      user: 'bob',
      apikey: REDACTED,
      password: REDACTED,
      nested: { api_key: REDACTED, pin: 1 },
      passwd: REDACTED,
      api_keys_seen: 3,
    });
    expect(JSON.parse(redactSecrets('{"api_key":["a:b:c","d:e:f"],"x":"y"}'))).toEqual({ api_key: REDACTED, x: 'y' });
    expect(JSON.parse(redactSecrets('{"password":"with \\"quotes\\" inside","x":1}'))).toEqual({ password: REDACTED, x: 1 });
  });

  it('redacts a JSON body quoted inside a JSON log line, and the line stays valid JSON', () => {
    const error = new Error(`Unexpected token in ${JSON.stringify({ user: 'bob', password: 'hunter2', apikey: 'k:s3cr3t' })}`);
    const line = JSON.stringify({ level: 50, msg: error.stack });
    const redacted = redactSecrets(line);
    expect(redacted).not.toContain('hunter2');
    expect(redacted).not.toContain('s3cr3t');
    expect(JSON.parse(redacted).msg).toContain(`"password":"${REDACTED}"`);
  });

  it('redacts session cookies: in a Cookie value, a logged Set-Cookie header and a Set-Cookie line', () => {
    expect(redactSecrets('session=abc123; XSRF-TOKEN=def456; theme=dark')).toBe(`session=${REDACTED}; XSRF-TOKEN=${REDACTED}; theme=dark`);
    const line = JSON.stringify({ res: { headers: { 'set-cookie': ['session=abc123; Path=/; HttpOnly', 'XSRF-TOKEN=def456; Path=/'] } } });
    const redacted = redactSecrets(line);
    expect(redacted).not.toMatch(/abc123|def456/);
    expect(JSON.parse(redacted).res.headers['set-cookie']).toBe(REDACTED);
    expect(redactSecrets('Set-Cookie: session=abc123; Path=/')).toBe(`Set-Cookie: ${REDACTED}`);
  });

  it("redacts header fields of a logged request and util.inspect's objects", () => {
    const line = JSON.stringify({ req: { headers: { authorization: `Bearer ${TG_KEY}`, 'x-apikey': 'k:s3cr3t', cookie: 'session=abc123', accept: '*/*' } } });
    expect(JSON.parse(redactSecrets(line)).req.headers).toEqual({ authorization: REDACTED, 'x-apikey': REDACTED, cookie: REDACTED, accept: '*/*' });
    expect(redactSecrets("{ user: 'bob', password: 'hunter2' }")).toBe(`{ user: 'bob', password: '${REDACTED}' }`);
  });

  it('leaves text that names no secret as it is', () => {
    const line = JSON.stringify({ level: 30, msg: 'request completed', req: { url: '/api/v4/submit/?a=1', session_duration: 3600 } });
    expect(redactSecrets(line)).toBe(line);
  });
});

describe('redactSecretFields', () => {
  it('redacts parsed query strings and bodies by field name at any depth, and secrets inside other strings', () => {
    expect(redactSecretFields({ api_key: TG_KEY, limit: '5', form: [{ Password: 'x' }], note: `see ?api_key=${TG_KEY}` })).toEqual({
      api_key: REDACTED,
      limit: '5',
      form: [{ Password: REDACTED }],
      note: `see ?api_key=${REDACTED}`,
    });
  });
});

describe('isSecretName', () => {
  it('knows the credential names of both APIs, case aside', () => {
    for (const name of ['api_key', 'APIKEY', 'password', 'new_password', 'session', 'XSRF-TOKEN', 'X-APIKEY', 'Authorization', 'Set-Cookie']) {
      expect(isSecretName(name)).toBe(true);
    }
    for (const name of ['user', 'sid', 'session_duration', 'api_keys_seen', 'limit']) expect(isSecretName(name)).toBe(false);
  });
});
