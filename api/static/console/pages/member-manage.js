// What an organiser changes on a member's page: its details, the community it
// is registered with, its double report (begun, moved or ended), its
// deregistration, each a form calling the API and showing the answer or the
// problem.
import { all, patch, post } from "../api.js";
import { field, h, notice } from "../dom.js";
import { communityName } from "../scope.js";
import { submitter, today } from "./common.js";
import { placeChooser } from "./places.js";

// ``redraw`` shows the member's details again once a form has changed them.
export async function manageSections(member, redraw) {
  if (member.status !== "registered") return h("div", { class: "manage" });
  const grids = await all(`/v1/communities/${member.community_id}/grids`);
  return h("div", { class: "manage" },
    editSection(member, grids, redraw),
    await moveSection(member),
    await reportSection(member),
    deregisterSection(member, redraw));
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

// A community chosen through the tree or by name among those in the token's
// scope; another one (the organiser of the member's community may move it
// anywhere) by its number.
async function moveSection(member) {
  const outlet = h("div", { "aria-live": "polite" });
  const chooser = await placeChooser({ legend: "迁入社区", names: { community: "community_id" }, single: true });
  const form = h("form", {},
    chooser.element,
    h("div", { class: "inline" },
      field("或其他社区的编号", { name: "other_community", autocomplete: "off" }, "不在可选范围内的社区"),
      field("迁入日期", { type: "date", name: "moved_on", value: today(), max: today(), required: true }),
      h("button", { type: "submit" }, "迁移")));
  submitter(form, outlet, async (data) => {
    const [chosen] = chooser.chosen();
    const target = (data.get("other_community") || "").trim() || chosen?.id;
    if (!target) return notice("请选择或填写迁入的社区。", "error");
    const moved = await post(`/v1/members/${member.id}/move`, { community_id: target, moved_on: data.get("moved_on") });
    // A community typed by its number may be one the token cannot read.
    const name = chosen?.id === moved.community_id ? chosen.name : `编号为 ${moved.community_id} 的社区`;
    chooser.clear();
    return notice(`已迁往${name}，自 ${moved.moved_on} 起。`);
  });
  return section("move-title", "迁往其他社区", form, outlet);
}

// 个人报到: an in-service member reports to the community it lives in;
// reporting again moves the report there, and a report in effect can end.
async function reportSection(member) {
  const now = member.double_report;
  const state = h("p", { class: "muted" }, now
    ? `正在向${await communityName(now.community_id)}报到，自 ${now.reported_on} 起。` : "尚未向居住社区报到。");
  const outlet = h("div", { "aria-live": "polite" });
  const chooser = await placeChooser({ legend: "居住社区", names: { community: "community_id" },
    single: true, hint: "在职党员向居住的社区报到；已在报到的，登记新的社区即改为向它报到。" });
  const begin = h("form", {},
    chooser.element,
    h("div", { class: "inline" },
      field("报到日期", { type: "date", name: "reported_on", value: today(), max: today(), required: true }),
      h("button", { type: "submit" }, "登记双报到")));
  submitter(begin, outlet, async (data) => {
    const [community] = chooser.chosen();
    if (!community) return notice("请先选择居住社区。", "error");
    const reported = await post(`/v1/members/${member.id}/double-report`, { community_id: community.id, reported_on: data.get("reported_on") });
    member.double_report = { community_id: community.id, reported_on: reported.reported_on };
    state.textContent = `正在向${community.name}报到，自 ${reported.reported_on} 起。`;
    end.hidden = false;
    chooser.clear();
    return notice(`已登记向${community.name}的双报到，自 ${reported.reported_on} 起。`);
  });
  const end = h("form", { class: "inline", hidden: !now },
    field("结束报到日期", { type: "date", name: "ended_on", value: today(), max: today(), required: true }),
    h("button", { type: "submit", class: "secondary" }, "结束双报到"));
  submitter(end, outlet, async (data) => {
    const ended = await post(`/v1/members/${member.id}/double-report/end`, { ended_on: data.get("ended_on") });
    member.double_report = null;
    state.textContent = "尚未向居住社区报到。";
    end.hidden = true;
    return notice(`双报到已于 ${ended.ended_on} 结束。`);
  });
  return section("report-title", "双报到（个人报到）", state, begin, end, outlet);
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
