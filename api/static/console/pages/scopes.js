// The places an administrator may scope an organiser or a token to:
// districts, streets, communities and teams, chosen through the tree or by
// name, and shown by name in the lists.
import { h } from "../dom.js";
import { KINDS } from "../scope.js";
import { placeChooser } from "./places.js";
import { problem } from "./common.js";

export const SCOPES = [
  ["district_ids", "district"], ["street_ids", "street"], ["community_ids", "community"], ["team_ids", "team"],
];

// The chooser of a scope's places, each kind sent as the API's body names it.
export function scopeChooser(legend) {
  const names = Object.fromEntries(SCOPES.map(([key, kind]) => [kind, key]));
  return placeChooser({ legend, names, hint: "至少选一处：区县、街道、社区或队伍（打开社区可选它的队伍）。" });
}

// The ids a form's chooser picked, as the API's body names them.
export function scopeBody(data) {
  return Object.fromEntries(SCOPES.map(([key]) => [key, data.getAll(key)]));
}

// The places a scope names, by name: "社区：幸福里社区；队伍：…".
export function scopeText(item) {
  const parts = SCOPES.map(([, kind]) => [kind, (item.places || []).filter((p) => p.kind === kind)])
    .filter(([, places]) => places.length)
    .map(([kind, places]) => `${KINDS[kind]}：${places.map((p) => p.name || p.id).join("、")}`);
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
