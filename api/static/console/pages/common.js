import { ApiError, download, get, post, session } from "../api.js";
import { field, h, notice, table } from "../dom.js";
import { placePicker, remember } from "./places.js";

// The community a page works in, from ?community=; without one (or with one
// outside the token's scope), a place picker to choose it from (and null).
// A token covering a single community works in it without choosing.
export async function community(main, params, title, path) {
  const id = params.get("community");
  if (id) {
    try {
      const chosen = await get(`/v1/communities/${encodeURIComponent(id)}`);
      session.community = id;
      remember(chosen);
      return chosen;
    } catch (error) {
      if (!(error instanceof ApiError) || ![403, 404, 422].includes(error.status)) throw error;
    }
  } else {
    const first = await get("/v1/communities", { limit: 2 });
    if (first.items.length === 1 && !first.next_cursor) {
      session.community = first.items[0].id;
      return first.items[0];
    }
    if (!first.items.length) {
      main.append(h("h1", {}, title), notice("令牌的权限范围内没有社区。", "error"));
      return null;
    }
  }
  main.append(h("h1", {}, title));
  if (id) main.append(notice("令牌的权限范围不包括这个社区。", "error"));
  main.append(await placePicker(path));
  return null;
}

// Runs a write from a form, showing its outcome (or its problem) beside it.
export function submitter(form, outlet, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    outlet.replaceChildren();
    try {
      const shown = await action(new FormData(form));
      if (shown) outlet.append(shown);
    } catch (error) {
      outlet.append(problem(error));
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

// Where an import found its file's header, and the columns it did not read.
export function sheetLayout(done) {
  const ignored = done.ignored_columns.length ? `已忽略的列：${done.ignored_columns.join("、")}` : "没有忽略的列";
  return `表头在第 ${done.header_row} 行；${ignored}。`;
}

export function problem(error) {
  if (!(error instanceof ApiError)) throw error;
  const body = error.problem;
  const shown = [notice(`${body.detail || body.title}（${body.code || error.status}）`, "error")];
  if (Array.isArray(body.errors) && body.errors.length && "row" in body.errors[0]) {
    shown.push(table("有问题的行", [["row", "行"], ["column", "列"], ["code", "问题代码"], ["message", "说明"]], body.errors));
  } else if (Array.isArray(body.errors) && body.errors.length) {
    shown.push(h("ul", { class: "errors" }, body.errors.map((e) => h("li", {}, `${e.field}：${e.message}`))));
  }
  return h("div", { class: "problem" }, shown);
}

export const STATUS = {
  scheduled: "已安排", closed: "已结束", cancelled: "已取消", pending: "待审核", approved: "已通过",
  rejected: "已驳回", recorded: "有效", corrected: "已更正", revoked: "已撤销", registered: "在册", deregistered: "已注销", merged: "已合并", made: "已兑换",
};

const CLOCK = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hourCycle: "h23",
  year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

// A moment as Shanghai's clock shows it, YYYY-MM-DD HH:mm, whatever the
// browser's locale.
export function shanghai(iso) {
  if (!iso) return "—";
  const part = Object.fromEntries(CLOCK.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

export function today() {
  return new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
}

export function years() {
  const now = Number(today().slice(0, 4));
  return Array.from({ length: 5 }, (_, i) => String(now - i));
}

// Issues a member's 志愿服务证明 for a period (both ends optional) and offers
// its PDF: on the organiser's member page and on the member's own.
export function certificateForm(memberId) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("起始日期（可选）", { type: "date", name: "from", max: today() }),
    field("截止日期（可选）", { type: "date", name: "to", max: today() }),
    h("button", { type: "submit" }, "开具志愿服务证明"));
  submitter(form, outlet, async (data) => {
    const body = {};
    if (data.get("from")) body.from = data.get("from");
    if (data.get("to")) body.to = data.get("to");
    const issued = await post(`/v1/members/${memberId}/certificates`, body);
    const save = h("button", { type: "button" }, "下载 PDF");
    save.addEventListener("click", () => download(`/v1/certificates/${issued.number}/pdf`, {}, `${issued.number}.pdf`));
    return h("div", {}, notice(`已开具证明 ${issued.number}：${issued.hours} 小时，${issued.activities} 次活动。`), save);
  });
  return h("div", {}, form, outlet);
}

