// The places an administrator may scope an organiser or a token to:
// districts, streets, communities and teams, picked with checkboxes.
import { all } from "../api.js";
import { field, h } from "../dom.js";
import { children, communities as everyCommunity } from "../scope.js";
import { problem } from "./common.js";

export const SCOPES = [
  ["district_ids", "区县"], ["street_ids", "街道"], ["community_ids", "社区"], ["team_ids", "队伍"],
];

export async function loadPlaces() {
  const districts = await children("deployment", "");
  const streets = (await Promise.all(districts.map((d) => children("district", d.id)))).flat();
  const communities = await everyCommunity();
  const teams = await all("/v1/teams");
  const places = { district_ids: districts, street_ids: streets, community_ids: communities, team_ids: teams };
  const names = new Map();
  for (const list of Object.values(places)) for (const p of list) names.set(p.id, p.name);
  return { ...places, names };
}

// One group of checkboxes a kind of place, in a fieldset named for it.
export function scopeFields(places, prefix) {
  return h("div", { class: "categories" }, SCOPES.map(([key, label]) =>
    h("fieldset", { class: "category" }, h("legend", {}, label),
      places[key].length
        ? places[key].map((p) => field(p.name, { type: "checkbox", name: key, value: p.id, id: `${prefix}-${key}-${p.id}` }))
        : h("p", { class: "muted" }, "暂无"))));
}

// The ids a form's checkboxes picked, as the API's body names them.
export function scopeBody(data) {
  return Object.fromEntries(SCOPES.map(([key]) => [key, data.getAll(key)]));
}

// The places a scope names, by name: "社区：幸福里社区；队伍：…".
export function scopeText(item, places) {
  const parts = SCOPES.filter(([key]) => (item[key] || []).length)
    .map(([key, label]) => `${label}：${item[key].map((id) => places.names.get(id) || id).join("、")}`);
  return parts.length ? parts.join("；") : "—";
}

// A button that asks once more, in the page, before it acts; a refusal is
// shown beside it.
export function confirmed(text, what, question, act) {
  const cell = h("div", { class: "actions" });
  const ask = h("button", { type: "button", class: "secondary", "aria-label": `${text}${what}` }, text);
  ask.addEventListener("click", () => {
    const yes = h("button", { type: "button" }, `确认${text}`);
    const no = h("button", { type: "button", class: "secondary" }, "取消");
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      try {
        await act();
      } catch (error) {
        cell.replaceChildren(problem(error), ask);
      }
    });
    no.addEventListener("click", () => { cell.replaceChildren(ask); ask.focus(); });
    cell.replaceChildren(h("span", { role: "alert" }, question), yes, no);
    yes.focus();
  });
  cell.append(ask);
  return cell;
}
