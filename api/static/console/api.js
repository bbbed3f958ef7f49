// The public v1 API, with the token from sessionStorage (never from the URL).

const TOKEN = "vp.token";
const REFRESH = "vp.refresh";
const POSITION = "vp.position";
const SCOPE = "vp.scope";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// A pasted token lives in this tab only (sessionStorage). A session begun
// with a phone and a code is kept on the device (localStorage), so that a
// member who scans a code at the door is still signed in; its access token
// lasts 15 minutes and is renewed with the refresh token.
function store() {
  return sessionStorage.getItem(TOKEN) ? sessionStorage : localStorage;
}

export const session = {
  get token() { return store().getItem(TOKEN); },
  get refresh() { return store().getItem(REFRESH); },
  get scope() { return JSON.parse(store().getItem(SCOPE) || "null"); },
  signIn(token, scope) {
    localStorage.removeItem(TOKEN);
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(SCOPE, JSON.stringify(scope));
  },
  begin(answer, scope) {
    sessionStorage.removeItem(TOKEN);
    localStorage.setItem(TOKEN, answer.access_token);
    localStorage.setItem(REFRESH, answer.refresh_token);
    localStorage.setItem(SCOPE, JSON.stringify(scope));
  },
  renewed(answer) {
    localStorage.setItem(TOKEN, answer.access_token);
    localStorage.setItem(REFRESH, answer.refresh_token);
  },
  async signOut() {
    const refresh = this.refresh;
    const token = this.token;
    sessionStorage.clear();
    for (const key of [TOKEN, REFRESH, SCOPE]) localStorage.removeItem(key);
    if (refresh && token) {
      await fetch("/v1/auth/sign-out", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refresh }),
      }).catch(() => undefined);
    }
  },
  get community() { return sessionStorage.getItem("vp.community"); },
  set community(id) { if (id) sessionStorage.setItem("vp.community", id); },
};

// Calls that take no token: asking for a code, signing in, renewing.
export async function open(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

// Renews the session once its access token has expired; false if it cannot.
async function renew() {
  const refresh = session.refresh;
  if (!refresh) return false;
  try {
    session.renewed(await open("/v1/auth/refresh", { refresh_token: refresh }));
    return true;
  } catch {
    return false;
  }
}

function address(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  return url;
}

async function send(method, path, { params, body, form, token, retried } = {}) {
  const url = address(path, params);
  const headers = { Authorization: `Bearer ${token || session.token}` };
  if (method === "GET") {
    const position = sessionStorage.getItem(POSITION);
    if (position) url.searchParams.set("min_position", position);
  } else {
    headers["Idempotency-Key"] = crypto.randomUUID();
  }
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(url, { method, headers, body: payload });
  if (response.status === 401 && !token && !retried && await renew()) {
    return send(method, path, { params, body, form, token, retried: true });
  }
  if (response.status === 401 && !token) {
    await session.signOut();
    location.assign(`/console/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(401, { detail: "令牌无效或已撤销，请重新登录" });
  }
  const type = response.headers.get("content-type") || "";
  if (response.status === 422 && method === "GET" && url.searchParams.has("min_position")
      && (await response.clone().json()).code === "unknown_position") {
    // A position from before the database was replaced: read without it.
    sessionStorage.removeItem(POSITION);
    return send(method, path, { params, body, form, token });
  }
  if (!response.ok) {
    const problem = type.includes("json") ? await response.json() : { detail: `HTTP ${response.status}` };
    throw new ApiError(response.status, problem);
  }
  const position = response.headers.get("X-Event-Position");
  if (position) sessionStorage.setItem(POSITION, position);
  return type.includes("json") ? response.json() : response;
}

export const get = (path, params, options = {}) => send("GET", path, { params, ...options });
export const post = (path, body, params) => send("POST", path, { body, params });
export const patch = (path, body) => send("PATCH", path, { body });
export const remove = (path, params) => send("DELETE", path, { params });
export const upload = (path, file, params) => {
  const form = new FormData();
  form.append("file", file);
  return send("POST", path, { form, params });
};

// Every page of a list, up to a bound.
export async function all(path, params = {}, bound = 5000) {
  const items = [];
  let cursor;
  do {
    const page = await get(path, { ...params, limit: 500, cursor });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < bound);
  return items;
}

// Saves a file the API answers (台账, PDF) under the name it gives.
export async function download(path, params, fallback) {
  const response = await get(path, params);
  const blob = await response.blob();
  const disposition = response.headers.get("content-disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallback;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}
