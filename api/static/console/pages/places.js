// Choosing a place: a community by name (its own, its street's or its
// district's), or down the tree, district → street → community (→ team),
// each level read only when opened. A page that works in one community
// offers each as a link and remembers the last one chosen; a form offers the
// places it may take as buttons that add them to what it sends.
import { ApiError, all, get } from "../api.js";
import { field, h, link, notice } from "../dom.js";
import { KINDS, children, homePlaces } from "../scope.js";

const LAST = "vp.lastCommunity";
const SHOWN = 20;

export function lastChoice() {
  try {
    const kept = JSON.parse(localStorage.getItem(LAST) || "null");
    return kept && typeof kept.id === "string" && typeof kept.name === "string" ? kept : null;
  } catch {
    return null;
  }
}

export function remember(place) {
  localStorage.setItem(LAST, JSON.stringify({ id: place.id, name: place.name }));
}

const where = (c) => [c.street, c.district].filter(Boolean).join(" · ");
const byName = (a, b) => a.name.localeCompare(b.name, "zh-CN", { numeric: true });

// A community found by name, or one of the tree: what ``offer`` makes of it,
// with its street and district when found by name.
function entry(offer, place, found = false) {
  return h("li", {}, offer(place),
    found && where(place) ? h("span", { class: "muted" }, ` ${where(place)}`) : null);
}

function search(offer) {
  const results = h("ul", { class: "found" });
  const status = h("p", { class: "muted", role: "status" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "显示更多");
  const box = field("查找社区", { type: "search", placeholder: "社区、街道或区县名称", autocomplete: "off" });
  const input = box.querySelector("input");
  let next = null;
  let q = "";
  async function show(cursor) {
    const found = await get("/v1/communities", { q, limit: SHOWN, cursor });
    if (!cursor) results.replaceChildren();
    results.append(...found.items.map((c) => entry(offer, { kind: "community", ...c }, true)));
    next = found.next_cursor;
    more.hidden = !next;
    const count = results.children.length;
    status.textContent = count ? `找到 ${count}${next ? "+" : ""} 个社区` : `没有名称含“${q}”的社区`;
  }
  const find = async () => {
    q = input.value.trim();
    await show(undefined);
  };
  const button = h("button", { type: "button" }, "查找");
  button.addEventListener("click", find);
  // Enter searches; inside a form it must not send the form.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    find();
  });
  more.addEventListener("click", () => next && show(next));
  return h("section", { class: "card picker-search", "aria-label": "按名称查找" },
    h("div", { class: "inline", role: "search" }, box, button), status, results, more);
}

// The places one level below, read when first opened.
function opening(details, below, read) {
  let done = false;
  details.addEventListener("toggle", async () => {
    if (!details.open || done) return;
    done = true;
    below.replaceChildren(h("li", { class: "muted" }, "正在读取…"));
    try {
      const found = await read();
      below.replaceChildren(...(found.length ? found : [h("li", { class: "muted" }, "下面没有可选的地方")]));
    } catch (error) {
      done = false;
      if (!(error instanceof ApiError)) throw error;
      below.replaceChildren(h("li", {}, notice(error.problem.detail || error.problem.title, "error")));
    }
  });
}

// One place of the tree. A community is offered (or, where teams may be
// chosen, opens to show its teams); a district or a street opens to show the
// places below it, with the place itself offered first where it may be.
function branch(offer, kinds, place) {
  const teams = kinds.has("team") && place.kind === "community";
  if (place.kind === "community" && !teams) return entry(offer, place);
  const below = h("ul", { class: "tree" });
  const opened = h("details", {}, h("summary", {}, place.name),
    kinds.has(place.kind) ? h("p", { class: "whole" }, offer(place, `整个${KINDS[place.kind]}`)) : null, below);
  opening(opened, below, async () => {
    if (teams) {
      const found = (await all("/v1/teams", { community_id: place.id })).filter((t) => !t.dissolved);
      return found.sort(byName).map((t) => entry(offer, { kind: "team", ...t }));
    }
    return (await children(place.kind, place.id)).sort(byName).map((p) => branch(offer, kinds, p));
  });
  return h("li", {}, opened);
}

async function tree(offer, kinds) {
  const home = homePlaces();
  const top = home.length === 1 && home[0].kind === "deployment" ? await children("deployment", "") : home;
  top.sort(byName);
  const whole = kinds.has("deployment") && home.length === 1 && home[0].kind === "deployment";
  return h("section", { class: "card", "aria-label": "按区县、街道选择" },
    h("h2", {}, "按区县、街道选择"),
    whole ? h("p", { class: "whole" }, offer(home[0])) : null,
    top.length ? h("ul", { class: "tree" }, top.map((p) => branch(offer, kinds, p)))
      : notice("没有可选的区县或街道。", "error"));
}

// The community a page works in, chosen by following a link to the page
// with ``?community=``.
export async function placePicker(path) {
  const last = lastChoice();
  const opener = (place) => link(`${path}?community=${encodeURIComponent(place.id)}`, place.name);
  return h("div", { class: "picker" },
    last ? h("p", {}, "上次选择：", opener(last)) : null,
    search(opener), await tree(opener, new Set(["community"])));
}

// Places chosen for a form: each kind in ``names`` (kind → the form's field
// name) may be chosen; each choice is a hidden input of that name, listed
// with a button that takes it out again. One place only where ``single``.
// ``chosen`` gives the places chosen; ``clear`` forgets them (back to
// ``initial``, the place chosen to begin with).
export async function placeChooser({ legend, names, single = false, hint, initial }) {
  const kinds = new Set(Object.keys(names));
  const picked = new Map(initial ? [[initial.id, initial]] : []);
  const list = h("ul", { class: "chosen" });
  const said = h("p", { class: "muted", role: "status" });
  const panel = h("details", { class: "choose" });
  const draw = () => {
    list.replaceChildren(...[...picked.values()].map((place) => {
      const out = h("button", { type: "button", class: "secondary", "aria-label": `移除${place.name}` }, "移除");
      out.addEventListener("click", () => {
        picked.delete(place.id);
        draw();
        said.textContent = `已移除${place.name}`;
      });
      const named = place.kind === "deployment" ? place.name : `${KINDS[place.kind]}：${place.name}`;
      return h("li", {}, h("span", {}, named),
        h("input", { type: "hidden", name: names[place.kind], value: place.id }), out);
    }));
    if (!picked.size) list.append(h("li", { class: "muted" }, "尚未选择"));
  };
  const choose = (place) => {
    if (single) picked.clear();
    picked.set(place.id, place);
    draw();
    said.textContent = `已选择${place.name}`;
    if (single) panel.open = false;
  };
  const offer = (place, whole) => {
    const label = whole ? `选择${whole}${place.name}` : `选择${place.name}`;
    const button = h("button", { type: "button", class: "choice", "aria-label": label },
      whole ? `选择${whole}` : place.name);
    button.addEventListener("click", () => choose(place));
    return button;
  };
  const what = single && kinds.size === 1 && kinds.has("community") ? "选择社区" : single ? "选择地方" : "添加地方";
  panel.append(h("summary", {}, what), search(offer), await tree(offer, kinds));
  draw();
  const element = h("fieldset", { class: "chooser picker" }, h("legend", {}, legend),
    hint ? h("p", { class: "muted" }, hint) : null, list, said, panel);
  return {
    element,
    chosen: () => [...picked.values()],
    clear: () => {
      picked.clear();
      if (initial) picked.set(initial.id, initial);
      draw();
      said.textContent = "";
    },
  };
}
