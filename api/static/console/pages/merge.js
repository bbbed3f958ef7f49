import { post } from "../api.js";
import { field, h, link, notice } from "../dom.js";
import { community, submitter } from "./common.js";
import { memberSearch } from "./picker.js";

export async function render(main, params) {
  const place = await community(main, params, "合并重复记录", "/console/members/merge");
  if (!place) return;
  const outlet = h("div", { "aria-live": "polite" });
  const survivor = h("input", { id: "survivor", name: "survivor", required: true, readonly: true, value: params.get("survivor") || "" });
  const duplicate = h("input", { id: "duplicate", name: "duplicate", required: true, readonly: true });
  const form = h("form", { class: "card" },
    h("div", { class: "field" }, h("label", { for: "survivor" }, "保留的记录（编号）"), survivor),
    h("div", { class: "field" }, h("label", { for: "duplicate" }, "并入的重复记录（编号）"), duplicate),
    field("合并理由", { name: "reason", required: true, value: "同一人重复登记" }),
    h("button", { type: "submit" }, "合并"));
  submitter(form, outlet, async (data) => {
    const merged = await post(`/v1/members/${data.get("survivor")}/merge`, { duplicate_id: data.get("duplicate"), reason: data.get("reason") });
    return h("div", {}, notice("已合并。"), link(`/console/members/${merged.id || data.get("survivor")}?community=${place.id}`, "查看保留的记录"));
  });
  main.append(
    h("h1", {}, `${place.name} · 合并重复记录`),
    h("p", { class: "muted" }, "重复记录的签到改记到保留的记录上，两人都签到的以保留的记录为准；合并后不能撤回。"),
    h("section", { class: "card" }, h("h2", {}, "1. 选择保留的记录"), memberSearch(place.id, "查找保留的记录", (m) => { survivor.value = m.id; })),
    h("section", { class: "card" }, h("h2", {}, "2. 选择重复的记录"), memberSearch(place.id, "查找重复的记录", (m) => { duplicate.value = m.id; })),
    form, outlet);
}
