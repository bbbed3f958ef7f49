import { get } from "../api.js";
import { field, h, link, table } from "../dom.js";
import { STATUS, community } from "./common.js";

export async function render(main, params) {
  const place = await community(main, params, "志愿者", "/console/members");
  if (!place) return;
  const q = params.get("q") || "";
  const listed = await get(`/v1/communities/${place.id}/members`, { q, limit: 100, cursor: params.get("cursor") });
  main.append(
    h("h1", {}, `${place.name} · 志愿者`),
    h("p", { class: "actions" },
      link(`/console/members/import?community=${place.id}`, "导入花名册"),
      link(`/console/members/merge?community=${place.id}`, "合并重复记录")),
    h("form", { class: "filters card", method: "get", action: "/console/members", role: "search" },
      h("input", { type: "hidden", name: "community", value: place.id }),
      field("姓名或手机号", { type: "search", name: "q", value: q }),
      h("button", { type: "submit" }, "搜索")),
    table(q ? `“${q}”的搜索结果` : "志愿者名单", [
      [(m) => link(`/console/members/${m.id}?community=${place.id}`, m.name), "姓名"],
      ["phone", "手机号"], ["grid", "网格"],
      [(m) => (m.party_member ? "党员" : "群众"), "政治面貌"],
      [(m) => (m.double_report ? `已报到（${m.double_report.reported_on}）` : "—"), "双报到"],
      [(m) => STATUS[m.status] || m.status, "状态"],
    ], listed.items, "没有找到志愿者"),
    listed.next_cursor ? link(`/console/members?${new URLSearchParams({ community: place.id, q, cursor: listed.next_cursor })}`, "下一页") : "",
  );
}
