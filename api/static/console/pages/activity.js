import { all, get, post, upload } from "../api.js";
import { field, figures, h, notice, table } from "../dom.js";
import { STATUS, problem, shanghai, sheetLayout, submitter } from "./common.js";
import { memberSearch } from "./picker.js";

export async function render(main, params, id) {
  const [activity, attendances, signups] = await Promise.all([
    get(`/v1/activities/${id}`),
    all(`/v1/activities/${id}/attendances`),
    all(`/v1/activities/${id}/signups`),
  ]);
  const community = activity.community_id;
  const open = activity.status === "scheduled";
  const reload = () => location.reload();
  const member = (m) => h("a", { href: `/console/members/${m.member_id}?community=${community}` }, m.name || m.member_id);

  main.append(
    h("h1", {}, activity.title),
    h("p", { class: "muted" }, `${shanghai(activity.starts_at)} 至 ${shanghai(activity.ends_at)} · ${activity.location || "地点未填"} · ${activity.category}`),
    figures([["状态", STATUS[activity.status] || activity.status, "status"], ["报名", activity.signups, "signups"], ["签到", activity.attendances, "attendances"], ["人数上限", activity.capacity ?? "不限", "capacity"]]),
  );

  main.append(table("签到记录", [
    [member, "志愿者"], ["hours", "时长（小时）"], ["points", "积分"],
    [(a) => STATUS[a.status] || a.status, "状态"], [(a) => shanghai(a.recorded_at), "登记时间"], ["reason", "理由"],
    [(a) => (open && (a.status === "recorded" || a.status === "corrected") ? revokeForm(id, a) : ""), "撤销"],
  ], attendances, "尚无签到"));
  main.append(table("报名名单", [[member, "志愿者"], [(s) => shanghai(s.signed_up_at), "报名时间"]], signups, "尚无报名"));

  if (open) main.append(checkinSection(id, community));
  if (open) {
    const hours = Math.max(0.5, Math.floor((new Date(activity.ends_at) - new Date(activity.starts_at)) / 1800000) / 2);
    main.append(recordSection(id, community, reload, hours), signUpSection(id, community), sheetSection(id), closeSection(id, reload));
  }
  main.append(historySection(id));
}

// The activity's history, read when it is first opened.
function historySection(id) {
  const section = h("details", { class: "card" }, h("summary", {}, "变更历史"));
  section.addEventListener("toggle", async () => {
    if (!section.open || section.dataset.read) return;
    section.dataset.read = "yes";
    try {
      const events = await all(`/v1/activities/${id}/history`);
      section.append(table("变更历史", [[(e) => shanghai(e.recorded_at), "时间"], ["type", "事件"], ["actor", "操作人"], ["reason", "理由"]], events));
    } catch (error) {
      section.append(problem(error));
    }
  });
  return section;
}

function revokeForm(activityId, attendance) {
  const outlet = h("div");
  const form = h("form", { class: "inline" },
    field(`撤销 ${attendance.name || ""} 的理由`, { name: "reason", required: true }),
    h("button", { type: "submit", class: "secondary" }, "撤销"));
  submitter(form, outlet, async (data) => {
    await post(`/v1/activities/${activityId}/attendance/${attendance.member_id}/revoke`, { reason: data.get("reason") });
    location.reload();
  });
  return h("div", {}, form, outlet);
}

function recordSection(id, community, reload, duration) {
  const picked = new Map();
  const list = h("ul", { class: "picked", "aria-label": "待登记的志愿者" });
  const outlet = h("div", { "aria-live": "polite" });
  const search = memberSearch(community, "查找志愿者", (member) => {
    if (picked.has(member.id)) return;
    const hours = h("input", { type: "number", name: `hours-${member.id}`, id: `hours-${member.id}`, min: "0.5", max: String(duration), step: "0.5", value: String(duration), required: true });
    const remove = h("button", { type: "button", class: "link secondary" }, "移除");
    const item = h("li", {}, h("label", { for: `hours-${member.id}` }, `${member.name} 的时长（小时）`), hours, remove);
    remove.addEventListener("click", () => { picked.delete(member.id); item.remove(); });
    picked.set(member.id, hours);
    list.append(item);
  }, "加入");
  const form = h("form", {},
    list,
    field("更正理由（修改已登记时长时填写）", { name: "reason" }),
    h("button", { type: "submit" }, "登记签到"));
  submitter(form, outlet, async (data) => {
    if (!picked.size) return notice("请先查找并加入志愿者。", "error");
    const records = [...picked].map(([member_id, input]) => ({ member_id, hours: input.value }));
    const body = { records };
    if (data.get("reason")) body.reason = data.get("reason");
    const done = await post(`/v1/activities/${id}/attendance`, body);
    setTimeout(reload, 600);
    return notice(`已登记 ${done.recorded} 人，更正 ${done.corrected} 人，未变 ${done.unchanged} 人。`);
  });
  return h("section", { class: "card" }, h("h2", {}, "登记签到"), search, form, outlet);
}

function signUpSection(id, community) {
  const outlet = h("div", { "aria-live": "polite" });
  const search = memberSearch(community, "为志愿者报名", async (member) => {
    outlet.replaceChildren();
    try {
      await post(`/v1/activities/${id}/signups`, { member_id: member.id });
      location.reload();
    } catch (error) {
      outlet.append(problem(error));
    }
  }, "报名");
  return h("section", { class: "card" }, h("h2", {}, "报名"), search, outlet);
}

function sheetSection(id) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("签到表文件（CSV、XLSX 或 XLS）", { type: "file", name: "file", required: true, accept: ".csv,.xlsx,.xls" }, "列：手机号 或 志愿者编号、姓名（可选）、时长；其他列不导入"),
    h("button", { type: "submit" }, "导入签到表"));
  submitter(form, outlet, async (data) => {
    const done = await upload(`/v1/activities/${id}/attendance/import`, data.get("file"));
    setTimeout(() => location.reload(), 800);
    return notice(`共 ${done.rows} 行：已登记 ${done.recorded} 人，更正 ${done.corrected} 人，未变 ${done.unchanged} 人。${sheetLayout(done)}`);
  });
  return h("section", { class: "card" }, h("h2", {}, "导入签到表"), form, outlet);
}

function closeSection(id, reload) {
  const outlet = h("div", { "aria-live": "polite" });
  const close = h("form", { class: "inline" }, h("button", { type: "submit", class: "secondary" }, "结束活动（之后不能再登记）"));
  submitter(close, outlet, async () => { await post(`/v1/activities/${id}/close`); reload(); });
  const cancel = h("form", { class: "inline" },
    field("取消活动的理由", { name: "reason", required: true }),
    h("button", { type: "submit", class: "secondary" }, "取消活动"));
  submitter(cancel, outlet, async (data) => { await post(`/v1/activities/${id}/cancel`, { reason: data.get("reason") }); reload(); });
  return h("section", { class: "card" }, h("h2", {}, "结束或取消"), close, cancel, outlet);
}

// The door: a QR code that changes every 30 seconds, who has scanned, and
// the confirmation that records an attendance for each complete stay.
function checkinSection(id, community) {
  const image = h("img", { alt: "签到二维码：志愿者用手机扫码签到、签退", width: 240, height: 240, class: "qr" });
  const until = h("p", { class: "muted" });
  let shown;
  async function refresh() {
    if (!image.isConnected && shown) return;
    const response = await get(`/v1/activities/${id}/checkin-code.svg`);
    const url = URL.createObjectURL(await response.blob());
    if (shown) URL.revokeObjectURL(shown);
    image.src = shown = url;
    until.textContent = `二维码每 30 秒更新；现在是 ${shanghai(new Date().toISOString())}`;
    setTimeout(refresh, 30000);
  }
  const list = h("div", { "aria-live": "polite" });
  async function listed() {
    const { items } = await get(`/v1/activities/${id}/checkins`);
    list.replaceChildren(table("扫码签到", [
      [(c) => h("a", { href: `/console/members/${c.member_id}?community=${community}` }, c.name || c.member_id), "志愿者"],
      [(c) => shanghai(c.checked_in_at), "签到"], [(c) => (c.checked_out_at ? shanghai(c.checked_out_at) : "未签退"), "签退"],
      [(c) => c.hours ?? "—", "时长（小时）"], [(c) => (c.confirmed ? "已确认" : "待确认"), "确认"],
    ], items, "还没有人扫码"));
  }
  const outlet = h("div", { "aria-live": "polite" });
  const confirm = h("button", { type: "button" }, "确认扫码签到，记入参加记录");
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    outlet.replaceChildren();
    try {
      const done = await post(`/v1/activities/${id}/checkins/confirm`, {});
      const lines = [`记入 ${done.recorded.length} 人`];
      if (done.missing_checkout.length) lines.push(`${done.missing_checkout.length} 人未签退`);
      if (done.too_short.length) lines.push(`${done.too_short.length} 人不足一刻钟`);
      outlet.append(notice(lines.join("，") + "。"));
      await listed();
    } catch (error) {
      outlet.append(problem(error));
    } finally {
      confirm.disabled = false;
    }
  });
  const reload = h("button", { type: "button", class: "secondary" }, "刷新名单");
  reload.addEventListener("click", listed);
  refresh();
  listed();
  return h("section", { class: "card", "aria-label": "扫码签到" }, h("h2", {}, "扫码签到"),
    h("div", { class: "door" }, image, until), list, h("p", { class: "actions" }, reload, confirm), outlet);
}

