import { all, get } from "../api.js";
import { field, h, link, table } from "../dom.js";
import { STATUS, community, shanghai } from "./common.js";

export async function render(main, params) {
  const place = await community(main, params, "活动", "/console/activities");
  if (!place) return;
  const teams = await all("/v1/teams", { community_id: place.id });
  const from = params.get("from") || "";
  const to = params.get("to") || "";
  const team = params.get("team_id") || "";
  const status = params.get("status") || "";
  const listed = await get("/v1/activities", {
    community_id: place.id, team_id: team,
    from: from ? `${from}T00:00:00+08:00` : "", to: to ? `${to}T23:59:59+08:00` : "",
    limit: 200, cursor: params.get("cursor"),
  });
  const items = status ? listed.items.filter((a) => a.status === status) : listed.items;
  const filters = h("form", { class: "filters card", method: "get", action: "/console/activities" },
    h("input", { type: "hidden", name: "community", value: place.id }),
    field("队伍", { tag: "select", name: "team_id", value: team, options: [["", "全部队伍"], ...teams.map((t) => [t.id, t.name])] }),
    field("状态", { tag: "select", name: "status", value: status, options: [["", "全部"], ...["scheduled", "closed", "cancelled"].map((s) => [s, STATUS[s]])] }),
    field("开始不早于", { type: "date", name: "from", value: from }),
    field("开始不晚于", { type: "date", name: "to", value: to }),
    h("button", { type: "submit" }, "筛选"));
  main.append(
    h("h1", {}, `${place.name} · 活动`),
    h("p", { class: "actions" }, link(`/console/activities/new?community=${place.id}`, "＋ 安排活动", { class: "button" })),
    filters,
    table("活动列表", [
      [(a) => link(`/console/activities/${a.id}?community=${place.id}`, a.title), "活动"],
      [(a) => shanghai(a.starts_at), "开始"],
      [(a) => teams.find((t) => t.id === a.team_id)?.name || "—", "队伍"],
      [(a) => STATUS[a.status] || a.status, "状态"],
      ["signups", "报名"], ["attendances", "签到"],
    ], items, "没有符合条件的活动"),
    listed.next_cursor ? link(`/console/activities?${new URLSearchParams({ ...Object.fromEntries(params), cursor: listed.next_cursor })}`, "下一页") : "",
  );
}
