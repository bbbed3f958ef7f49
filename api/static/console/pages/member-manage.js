// What an organiser changes on a member's page: its details, the community it
// is registered with, its deregistration and the end of its double report,
// each a form calling the API and showing the answer or the problem.
import { all, patch, post } from "../api.js";
import { field, h, notice } from "../dom.js";
import { communities } from "../scope.js";
import { submitter, today } from "./common.js";

// ``redraw`` shows the member's details again once a form has changed them.
export async function manageSections(member, redraw) {
  const [grids, mine] = await Promise.all([all(`/v1/communities/${member.community_id}/grids`), communities()]);
  const open = member.status === "registered";
  return h("div", { class: "manage" },
    open ? editSection(member, grids, redraw) : null,
    open ? moveSection(member, mine.filter((c) => c.id !== member.community_id)) : null,
    open && member.double_report ? endReportSection(member) : null,
    open ? deregisterSection(member, redraw) : null);
}

function section(id, title, ...children) {
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

// Only what changed is sent: a field left as it was stays as it is.
function editSection(member, grids, redraw) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("姓名", { name: "name", value: member.name, required: true, maxlength: 100 }),
    field("手机号", { name: "phone", type: "tel", value: member.phone || "", inputmode: "numeric" }, "留空则清除"),
    field("网格", { tag: "select", name: "grid_id", value: member.grid_id || "", options: [["", "（无）"], ...grids.map((g) => [g.id, g.name])] }),
    field("单位编号", { name: "unit_id", value: member.unit_id || "" }, "双报到单位的编号；留空则清除"),
    field("党员", { type: "checkbox", name: "party_member", checked: member.party_member }),
    h("button", { type: "submit" }, "保存修改"));
  submitter(form, outlet, async (data) => {
    const changes = {};
    const text = (name) => (data.get(name) || "").trim();
    if (text("name") !== member.name) changes.name = text("name");
    if (text("phone") !== (member.phone || "")) changes.phone = text("phone") || null;
    if (text("grid_id") !== (member.grid_id || "")) changes.grid_id = text("grid_id") || null;
    if (text("unit_id") !== (member.unit_id || "")) changes.unit_id = text("unit_id") || null;
    if ((data.get("party_member") === "on") !== member.party_member) changes.party_member = data.get("party_member") === "on";
    if (!Object.keys(changes).length) return notice("没有改动。");
    const saved = await patch(`/v1/members/${member.id}`, changes);
    Object.assign(member, saved);
    redraw();
    return notice(`已保存：${saved.name}，${saved.phone || "无手机号"}，${saved.party_member ? "党员" : "群众"}${saved.grid ? `，${saved.grid}` : ""}。`);
  });
  return section("edit-title", "修改信息", form, outlet);
}

// The communities in the token's scope to choose from; another one (the
// organiser of the member's community may move it anywhere) by its number.
function moveSection(member, places) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    places.length ? field("迁入社区", { tag: "select", name: "community_id", options: [["", "（填写编号）"], ...places.map((c) => [c.id, c.name])] }) : null,
    field(places.length ? "或其他社区的编号" : "迁入社区的编号", { name: "other_community" }),
    field("迁入日期", { type: "date", name: "moved_on", value: today(), max: today(), required: true }),
    h("button", { type: "submit" }, "迁移"));
  submitter(form, outlet, async (data) => {
    const target = (data.get("other_community") || "").trim() || data.get("community_id");
    if (!target) return notice("请选择或填写迁入的社区。", "error");
    const moved = await post(`/v1/members/${member.id}/move`, { community_id: target, moved_on: data.get("moved_on") });
    const name = places.find((c) => c.id === moved.community_id)?.name || moved.community_id;
    return notice(`已迁往${name}，自 ${moved.moved_on} 起。`);
  });
  return section("move-title", "迁往其他社区", form, outlet);
}

function endReportSection(member) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("结束报到日期", { type: "date", name: "ended_on", value: today(), max: today(), required: true }),
    h("button", { type: "submit", class: "secondary" }, "结束双报到"));
  submitter(form, outlet, async (data) => {
    const ended = await post(`/v1/members/${member.id}/double-report/end`, { ended_on: data.get("ended_on") });
    return notice(`双报到已于 ${ended.ended_on} 结束。`);
  });
  return section("report-title", `双报到（自 ${member.double_report.reported_on} 起）`, form, outlet);
}

function deregisterSection(member, redraw) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("注销理由", { name: "reason", required: true, maxlength: 500 }),
    field("注销日期", { type: "date", name: "left_on", value: today(), max: today(), required: true }),
    h("button", { type: "submit", class: "secondary" }, "注销志愿者"));
  submitter(form, outlet, async (data) => {
    const left = await post(`/v1/members/${member.id}/deregister`, { reason: data.get("reason"), left_on: data.get("left_on") });
    member.status = "deregistered";
    redraw();
    return notice(`已注销，自 ${left.left_on} 起；理由：${left.reason}。`);
  });
  return section("deregister-title", "注销", form, outlet);
}
