// Choosing a community: by name (its own, its street's or its district's),
// or down the tree, district → street → community, each level read only
// when opened; the last choice is offered first next time.
import { ApiError, get } from "../api.js";
import { field, h, link, notice } from "../dom.js";
import { children, homePlaces } from "../scope.js";

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

// A community to choose; found by name, with its street and district.
function choice(path, place, found = false) {
  return h("li", {}, link(`${path}?community=${encodeURIComponent(place.id)}`, place.name),
    found && where(place) ? h("span", { class: "muted" }, ` ${where(place)}`) : null);
}

function search(path) {
  const results = h("ul", { class: "found" });
  const status = h("p", { class: "muted", role: "status" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "显示更多");
  let next = null;
  let q = "";
  async function show(cursor) {
    const found = await get("/v1/communities", { q, limit: SHOWN, cursor });
    if (!cursor) results.replaceChildren();
    results.append(...found.items.map((c) => choice(path, c, true)));
    next = found.next_cursor;
    more.hidden = !next;
    const count = results.children.length;
    status.textContent = count ? `找到 ${count}${next ? "+" : ""} 个社区` : `没有名称含“${q}”的社区`;
  }
  const form = h("form", { class: "inline", role: "search" },
    field("查找社区", { name: "q", type: "search", placeholder: "社区、街道或区县名称", autocomplete: "off" }),
    h("button", { type: "submit" }, "查找"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    q = new FormData(form).get("q").trim();
    await show(undefined);
  });
  more.addEventListener("click", () => next && show(next));
  return h("section", { class: "card picker-search", "aria-label": "按名称查找" }, form, status, results, more);
}

// One place of the tree: a community is a link; a district or a street
// opens to show the places below it, read when first opened.
function branch(path, place) {
  if (place.kind === "community") return choice(path, place);
  const below = h("ul", { class: "tree" });
  const opened = h("details", {}, h("summary", {}, place.name), below);
  let read = false;
  opened.addEventListener("toggle", async () => {
    if (!opened.open || read) return;
    read = true;
    below.replaceChildren(h("li", { class: "muted" }, "正在读取…"));
    try {
      const found = (await children(place.kind, place.id)).sort(byName);
      below.replaceChildren(...(found.length ? found.map((p) => branch(path, p))
        : [h("li", { class: "muted" }, "下面没有社区")]));
    } catch (error) {
      read = false;
      if (!(error instanceof ApiError)) throw error;
      below.replaceChildren(h("li", {}, notice(error.problem.detail || error.problem.title, "error")));
    }
  });
  return h("li", {}, opened);
}

async function tree(path) {
  const home = homePlaces();
  const top = home.length === 1 && home[0].kind === "deployment" ? await children("deployment", "") : home;
  top.sort(byName);
  return h("section", { class: "card", "aria-label": "按区县、街道选择" },
    h("h2", {}, "按区县、街道选择"),
    top.length ? h("ul", { class: "tree" }, top.map((p) => branch(path, p))) : notice("没有可选的区县或街道。", "error"));
}

export async function placePicker(path) {
  const last = lastChoice();
  return h("div", { class: "picker" },
    last ? h("p", {}, "上次选择：", link(`${path}?community=${encodeURIComponent(last.id)}`, last.name)) : null,
    search(path), await tree(path));
}
