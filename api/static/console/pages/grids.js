// A community's grids (网格): listed with their figures on demand, and added.
import { all, get, post } from "../api.js";
import { field, figures, h, notice, table } from "../dom.js";
import { community, submitter } from "./common.js";

export async function render(main, params) {
  const place = await community(main, params, "网格", "/console/grids");
  if (!place) return;
  const listed = h("div", { "aria-live": "polite" });
  const shown = h("div", { "aria-live": "polite" });
  const draw = async () => listed.replaceChildren(gridTable(await all(`/v1/communities/${place.id}/grids`), shown));
  await draw();
  main.append(h("h1", {}, `${place.name} · 网格`), listed, shown, createSection(place, draw));
}

function gridTable(grids, shown) {
  return table("网格", [
    ["name", "网格"],
    [(g) => (g.party_organisation ? "有" : "无"), "网格党组织"],
    [(g) => figuresButton(g, shown), "本年数据"],
  ], grids, "还没有网格");
}

function figuresButton(grid, shown) {
  const button = h("button", { type: "button", class: "secondary", "aria-label": `${grid.name} 本年数据` }, "查看");
  button.addEventListener("click", async () => {
    const stats = await get(`/v1/grids/${grid.id}/stats`);
    shown.replaceChildren(h("section", { class: "card" },
      h("h2", { tabindex: "-1" }, `${grid.name} · ${stats.year ?? ""} 年数据`),
      figures([["志愿者", stats.volunteers, "volunteers"], ["参与人次", stats.participations, "participations"],
        ["服务时长", stats.hours, "hours"], ["积分", stats.points, "points"]])));
    shown.querySelector("h2").focus();
  });
  return button;
}

function createSection(place, draw) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("网格名称", { name: "name", required: true }),
    field("建有网格党组织", { type: "checkbox", name: "party_organisation" }),
    h("button", { type: "submit" }, "添加网格"));
  submitter(form, outlet, async (data) => {
    const added = await post("/v1/grids", {
      name: data.get("name"), community_id: place.id, party_organisation: data.get("party_organisation") === "on",
    });
    form.reset();
    await draw();
    return notice(`已添加网格“${added.name}”。`);
  });
  return h("section", { class: "card" }, h("h2", {}, "添加网格"), form, outlet);
}
