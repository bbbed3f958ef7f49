import { get, post } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { STATUS, community, shanghai, submitter } from "./common.js";

export async function render(main, params) {
  const place = await community(main, params, "工时申报", "/console/claims");
  if (!place) return;
  const status = params.get("status") ?? "pending";
  const listed = await get(`/v1/communities/${place.id}/hours-claims`, { status, limit: 200 });
  const names = {};
  const titles = {};
  await Promise.all([
    ...[...new Set(listed.items.map((c) => c.member_id))].map(async (id) => { names[id] = (await get(`/v1/members/${id}`)).name; }),
    ...[...new Set(listed.items.map((c) => c.activity_id))].map(async (id) => { titles[id] = (await get(`/v1/activities/${id}`)).title; }),
  ]);
  main.append(
    h("h1", {}, `${place.name} · 工时申报`),
    h("form", { class: "filters", method: "get", action: "/console/claims" },
      h("input", { type: "hidden", name: "community", value: place.id }),
      field("状态", { tag: "select", name: "status", value: status, options: [["pending", "待审核"], ["approved", "已通过"], ["rejected", "已驳回"], ["", "全部"]] }),
      h("button", { type: "submit" }, "筛选")),
    table("申报列表", [
      [(c) => link(`/console/members/${c.member_id}?community=${place.id}`, names[c.member_id] || c.member_id), "志愿者"],
      [(c) => link(`/console/activities/${c.activity_id}?community=${place.id}`, titles[c.activity_id] || c.activity_id), "活动"],
      ["hours", "申报时长"], ["note", "说明"], [(c) => shanghai(c.claimed_at), "申报时间"],
      [(c) => STATUS[c.status] || c.status, "状态"],
      [(c) => (c.status === "pending" ? decide(c, names[c.member_id]) : c.reason || c.decided_hours || ""), "审核"],
    ], listed.items, "没有申报"),
  );
}

function decide(claim, name) {
  const outlet = h("div", { "aria-live": "polite" });
  const approve = h("form", { class: "inline" },
    field(`批准 ${name || ""} 的时长`, { type: "number", name: "hours", min: "0.5", step: "0.5", value: claim.hours }),
    h("button", { type: "submit" }, "批准"));
  submitter(approve, outlet, async (data) => {
    await post(`/v1/hours-claims/${claim.id}/approve`, { hours: data.get("hours") });
    approve.remove(); reject.remove();
    return notice("已批准，签到已登记。");
  });
  const reject = h("form", { class: "inline" },
    field(`驳回 ${name || ""} 的理由`, { name: "reason", required: true }),
    h("button", { type: "submit", class: "secondary" }, "驳回"));
  submitter(reject, outlet, async (data) => {
    await post(`/v1/hours-claims/${claim.id}/reject`, { reason: data.get("reason") });
    approve.remove(); reject.remove();
    return notice("已驳回。");
  });
  return h("div", {}, approve, reject, outlet);
}
