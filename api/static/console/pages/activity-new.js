import { all, post } from "../api.js";
import { field, h } from "../dom.js";
import { community, submitter, today } from "./common.js";

export async function render(main, params) {
  const place = await community(main, params, "安排活动", "/console/activities/new");
  if (!place) return;
  const teams = await all("/v1/teams", { community_id: place.id });
  const outlet = h("div", { "aria-live": "polite" });
  const day = today();
  const form = h("form", { class: "card narrow" },
    field("活动名称", { name: "title", required: true, maxlength: 100 }),
    field("组织队伍", { tag: "select", name: "team_id", required: true, options: teams.map((t) => [t.id, t.name]) }),
    field("服务类别", { name: "category", required: true, value: "社区服务" }),
    field("开始时间", { type: "datetime-local", name: "starts_at", required: true, value: `${day}T09:00` }),
    field("结束时间", { type: "datetime-local", name: "ends_at", required: true, value: `${day}T11:00` }),
    field("地点（可选）", { name: "location" }),
    field("人数上限（可选）", { type: "number", name: "capacity", min: 1 }),
    field("每小时积分（可选）", { type: "number", name: "points_per_hour", min: 0, step: "0.5" }, "不填按系统默认每小时积分计"),
    h("button", { type: "submit" }, "安排活动"));
  submitter(form, outlet, async (data) => {
    const body = {
      title: data.get("title"), team_id: data.get("team_id"), category: data.get("category"),
      starts_at: `${data.get("starts_at")}:00+08:00`, ends_at: `${data.get("ends_at")}:00+08:00`,
    };
    if (data.get("location")) body.location = data.get("location");
    if (data.get("capacity")) body.capacity = Number(data.get("capacity"));
    if (data.get("points_per_hour")) body.points_per_hour = data.get("points_per_hour");
    const made = await post("/v1/activities", body);
    location.assign(`/console/activities/${made.id}?community=${place.id}`);
  });
  main.append(h("h1", {}, `${place.name} · 安排活动`), form, outlet);
}
