import { all, post } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { community, submitter, today } from "./common.js";

export async function render(main, params) {
  const place = await community(main, params, "志愿服务队", "/console/teams");
  if (!place) return;
  const teams = await all("/v1/teams", { community_id: place.id });
  main.append(
    h("h1", {}, `${place.name} · 志愿服务队`),
    table("志愿服务队", [
      [(t) => link(`/console/teams/${t.id}?community=${place.id}`, t.name), "队伍"],
      [(t) => (t.dissolved ? "已解散" : "活动中"), "状态"],
    ], teams, "还没有志愿服务队"),
    foundSection(place),
  );
}

function foundSection(place) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("队伍名称", { name: "name", required: true, maxlength: 200 }),
    field("成立日期", { type: "date", name: "founded_on", value: today(), required: true }),
    h("button", { type: "submit" }, "成立队伍"));
  submitter(form, outlet, async (data) => {
    const founded = await post("/v1/teams", { name: data.get("name"), community_id: place.id, founded_on: data.get("founded_on") });
    return h("p", {}, notice(`已成立${founded.name}（${founded.founded_on}）。`),
      link(`/console/teams/${founded.id}?community=${place.id}`, `打开${founded.name}`));
  });
  return h("section", { class: "card", "aria-labelledby": "found-title" }, h("h2", { id: "found-title" }, "成立志愿服务队"), form, outlet);
}
