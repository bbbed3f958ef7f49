import { ApiError, download, post, session } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { communities } from "../scope.js";

// The community a page works in, from ?community=; without one, a list of the
// token's communities to choose from (and null).
export async function community(main, params, title, path) {
  const id = params.get("community");
  const mine = await communities();
  const chosen = mine.find((c) => c.id === id);
  if (chosen) {
    session.community = id;
    return chosen;
  }
  main.append(h("h1", {}, title));
  if (id) main.append(notice("令牌的权限范围不包括这个社区。", "error"));
  main.append(mine.length
    ? h("nav", { "aria-label": "选择社区" }, h("p", {}, "请选择社区："),
      h("ul", { class: "choices" }, mine.map((c) => h("li", {}, link(`${path}?community=${encodeURIComponent(c.id)}`, c.name)))))
    : notice("令牌的权限范围内没有社区。", "error"));
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

export function shanghai(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false,
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
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

