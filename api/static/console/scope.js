// What the token's scope covers: the places it names, the communities under
// them, and the figures address of each place.
import { ApiError, all, get, session } from "./api.js";

export const KINDS = { deployment: "全部", district: "区县", street: "街道", community: "社区", team: "队伍" };

export function statsPath(kind, id) {
  return kind === "deployment" ? "/v1/stats" : `/v1/${kind === "community" ? "communities" : `${kind}s`}/${id}/stats`;
}

export function ledgerPath(kind, id) {
  return `/v1/${kind === "community" ? "communities" : `${kind}s`}/${id}/ledger`;
}

// The places a dashboard may show first: the token's own, or for an admin
// the whole deployment.
export function homePlaces() {
  const scope = session.scope;
  if (!scope) return [];
  if (scope.role === "admin") return [{ kind: "deployment", id: "", name: "全部辖区" }];
  return scope.places.filter((p) => p.kind !== "team");
}

// The places directly below one: districts, streets, or communities.
export async function children(kind, id) {
  if (kind === "deployment") return (await all("/v1/districts")).map((p) => ({ kind: "district", ...p }));
  if (kind === "district") return (await all(`/v1/districts/${id}/streets`)).map((p) => ({ kind: "street", ...p }));
  if (kind === "street") return (await all(`/v1/streets/${id}/communities`)).map((p) => ({ kind: "community", ...p }));
  return [];
}

// Every community the token covers, by name (one search, not a walk down
// the tree).
export async function communities() {
  return (await all("/v1/communities", {}, 20000)).map((c) => ({ kind: "community", ...c }));
}

// A community's name, read once a page (its id where the token may not read it).
const names = new Map();
export async function communityName(id) {
  if (!names.has(id)) {
    names.set(id, get(`/v1/communities/${encodeURIComponent(id)}`).then((c) => c.name, (error) => {
      if (error instanceof ApiError) return id;
      throw error;
    }));
  }
  return names.get(id);
}
